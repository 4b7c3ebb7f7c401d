using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using Quiz.Sandbox;

namespace Quiz.Testing;

/// <summary>
/// The Telegram edge on loopback for the benchmarks and the fault scenarios, wired as the tests wire it (<see cref="LoopbackGateway"/>):
/// the sandbox Bot API, silos sending to it through the real Telegram.Bot client, and the gateway it delivers to.
/// </summary>
public static class Loopback
{
    /// <summary>Logs quiet enough for a benchmark's output (warnings still show: a 429 or a failed send is news).</summary>
    public const string LogLevelArgument = "--Logging:LogLevel:Default=Warning";

    /// <summary>Starts the sandbox; <paramref name="maxMessagesPerSecond"/> null is unlimited. <paramref name="probe"/> records when it answered 429.</summary>
    public static async Task<WebApplication> StartSandboxAsync(double? maxMessagesPerSecond, SandboxProbe? probe = null)
    {
        var app = SandboxApp.Build(
            new SandboxOptions { BotToken = LoopbackGateway.BotToken, MaxMessagesPerSecond = maxMessagesPerSecond },
            "http://127.0.0.1:0",
            [LogLevelArgument],
            builder =>
            {
                if (probe is not null)
                {
                    builder.Services.AddSingleton<IStartupFilter>(probe);
                }
            });
        await app.StartAsync();
        return app;
    }

    public static SandboxState State(WebApplication sandbox) => sandbox.Services.GetRequiredService<SandboxState>();

    /// <summary>The sandbox's base URL without the trailing '/', as <c>Telegram:ApiBaseUrl</c> takes it.</summary>
    public static string BaseUrl(WebApplication sandbox) => SandboxApp.BaseUrl(sandbox).ToString().TrimEnd('/');

    /// <summary>Silo configuration that sends through the real Telegram client to the sandbox, broadcasts at <paramref name="limit"/> a second.</summary>
    public static Dictionary<string, string> TelegramConfiguration(WebApplication sandbox, int limit) => new()
    {
        ["Telegram:BotToken"] = LoopbackGateway.BotToken,
        ["Telegram:ApiBaseUrl"] = BaseUrl(sandbox),
        ["Telegram:BroadcastPerSecond"] = limit.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Setup-cluster configuration for runs that measure something other than Telegram's pace: broadcasts at the paid
    /// ceiling of 1,000 a second, so that a day's questions leave at once.
    /// </summary>
    public static Dictionary<string, string> PaidBroadcastConfiguration() => new()
    {
        ["Telegram:BroadcastPerSecond"] = "1000",
        ["Telegram:PaidBroadcast"] = "true",
    };

    /// <summary>
    /// Waits until every silo's membership view has <paramref name="count"/> active silos, so that the measured run does
    /// not include a silo joining.
    /// </summary>
    public static async Task WaitForActiveSilosAsync(QuizTestCluster cluster, int count)
    {
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();
        await ClockExtensions.WaitUntilAsync(
            () => Silos(cluster).All(s => s.ServiceProvider.GetRequiredService<IClusterMembershipService>()
                .CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == count),
            TimeSpan.FromSeconds(60),
            $"every silo to see {count} active silos");
    }

    /// <summary>A gateway for <paramref name="cluster"/> on a free loopback port, started, with its webhook registered at the sandbox.</summary>
    public static async Task<WebApplication> StartGatewayAsync(QuizTestCluster cluster, WebApplication sandbox)
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackGateway.FreePort()}");
        var gateway = LoopbackGateway.Build(cluster, url, BaseUrl(sandbox), out _, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // Telegram's default; the sandbox does not enforce it, the benchmark's concurrency is what limits.
            ["Telegram:MaxConnections"] = "40",
        });
        await gateway.StartAsync();
        var state = State(sandbox);
        await ClockExtensions.WaitUntilAsync(() => state.Webhook is not null, TimeSpan.FromSeconds(30), "the gateway to register its webhook");
        return gateway;
    }

    /// <summary>The question messages in a chat (those with answer buttons) with the day their buttons name.</summary>
    public static IEnumerable<(SandboxMessage Message, DateOnly Day)> Questions(SandboxState sandbox, long chatId)
    {
        foreach (var message in sandbox.MessagesIn(chatId))
        {
            foreach (var button in message.Buttons)
            {
                if (AnswerCallback.TryParse(button.CallbackData, out _, out var day, out _))
                {
                    yield return (message, day);
                    break;
                }
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> for every item with at most <paramref name="concurrency"/> at once.</summary>
    public static async Task ForEachAsync<T>(IReadOnlyList<T> items, int concurrency, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Max(0, Math.Ceiling(p * sorted.Count) - 1))];

    /// <summary>Counts per second since <paramref name="start"/>, run-length encoded: "0 20 30 0x8 20x5".</summary>
    public static string Timeline(IEnumerable<DateTimeOffset> times, DateTimeOffset start, DateTimeOffset end)
    {
        var counts = new int[Math.Max(1, (int)Math.Ceiling((end - start).TotalSeconds) + 1)];
        foreach (var time in times)
        {
            counts[Math.Clamp((int)(time - start).TotalSeconds, 0, counts.Length - 1)]++;
        }

        var parts = new List<string>();
        for (var i = 0; i < counts.Length;)
        {
            var run = 1;
            while (i + run < counts.Length && counts[i + run] == counts[i])
            {
                run++;
            }

            parts.Add(run == 1 ? counts[i].ToString(CultureInfo.InvariantCulture) : $"{counts[i]}x{run}");
            i += run;
        }

        return string.Join(' ', parts);
    }

    private static IEnumerable<InProcessSiloHandle> Silos(QuizTestCluster cluster) => cluster.Cluster.Silos.OfType<InProcessSiloHandle>();
}

/// <summary>Records when the sandbox answered a Bot API call with 429 (the sandbox itself only counts them).</summary>
public sealed class SandboxProbe : IStartupFilter
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> _tooManyRequests = new();

    public IReadOnlyList<DateTimeOffset> TooManyRequests => [.. _tooManyRequests];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext context, RequestDelegate inner) =>
        {
            await inner(context);
            if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests)
            {
                _tooManyRequests.Enqueue(DateTimeOffset.UtcNow);
            }
        });
        next(app);
    };
}
