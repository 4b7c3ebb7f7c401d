using System.Collections.Concurrent;
using System.Diagnostics;

namespace Quiz.Testing;

/// <summary>
/// The real silo host (<c>Quiz.Silo.dll</c>, as the run command starts it), or another of the product's hosts, in its
/// own process on loopback.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private SiloProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    public string Output => string.Join('\n', _output);

    public static SiloProcess Start(int httpPort, IDictionary<string, string>? environment = null) => Start("Quiz.Silo", httpPort, environment);

    /// <summary>Starts the newest build of <paramref name="project"/> (<c>Quiz.Silo</c>, <c>Quiz.Gateway</c>).</summary>
    public static SiloProcess Start(string project, int httpPort, IDictionary<string, string>? environment = null)
    {
        var dll = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, project, "bin"), $"{project}.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new InvalidOperationException($"{project}.dll not found under {project}/bin: build the solution first.");
        var url = new Uri($"http://127.0.0.1:{httpPort}");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new SiloProcess(Process.Start(start)!, url);
    }

    public Task WaitUntilLiveAsync(TimeSpan timeout) => WaitUntilHealthyAsync("/health/live", timeout);

    /// <summary>Waits for <c>/health/ready</c>: the host has joined its cluster and reaches its database.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) => WaitUntilHealthyAsync("/health/ready", timeout);

    private async Task WaitUntilHealthyAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(Url, path))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The silo did not come up within {timeout}:\n{Output}");
    }

    /// <summary>Ends the process at once, as <c>kill -9</c> does (SIGKILL): no shutdown, nothing flushed.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
