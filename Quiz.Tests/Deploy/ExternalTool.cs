using System.Diagnostics;

namespace Quiz.Tests.Deploy;

/// <summary>What a command-line tool printed and how it exited.</summary>
public sealed record ToolResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The output, or a test failure that shows the command and everything it printed.</summary>
    public string SucceededOutput()
    {
        if (ExitCode != 0)
        {
            Assert.Fail($"`{Command}` exited with {ExitCode}.\nstderr:\n{StandardError}\nstdout:\n{StandardOutput}");
        }

        return StandardOutput;
    }
}

/// <summary>
/// Runs the tools the deployment files are checked with (docker-compose, kubectl). A missing tool fails the test with
/// what to install: these checks are never skipped.
/// </summary>
public static class ExternalTool
{
    public const string DockerCompose = "docker-compose";
    public const string Kubectl = "kubectl";
    public const string Promtool = "promtool";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly Dictionary<string, string> InstallHints = new(StringComparer.Ordinal)
    {
        [DockerCompose] = "install it with `apt-get install docker-compose` (Debian's Compose 1.29; .ci/run installs it when missing)",
        [Promtool] = "install it with `apt-get install prometheus` (Debian's promtool 2.42; .ci/run installs it when missing)",
        [Kubectl] = "install kubectl 1.27 or later, which embeds kustomize v5 (Debian's kubernetes-client 1.20 is too old for these manifests)",
    };

    /// <summary>Runs <paramref name="tool"/> and waits for it; variables mapped to null are removed from its environment.</summary>
    public static ToolResult Run(
        string tool,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var executable = FindOnPath(tool);
        var command = string.Join(' ', [tool, .. arguments]);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"`{command}` did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not finish within {Timeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        return new ToolResult(command, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"`{tool}` is not on PATH ({path}), and the deployment files are validated with it: {InstallHints[tool]}.");
        throw new UnreachableException();
    }
}
