using System.Diagnostics;
using System.Net;
using Quiz.Sandbox;
using Quiz.Testing;

namespace Quiz.Benchmarks;

/// <summary>
/// The answer path from the outside: the sandbox POSTs each tap to the gateway's webhook as Telegram does, the gateway
/// routes it to the learner's grain, the grain writes the answer with the edit it owes (the outbox) and returns the
/// toast, and the webhook answers 200 with the toast in its response; the silo's dispatcher then edits the question
/// with the feedback through the real Telegram client. Measured: the acknowledgement, and the edit's arrival.
/// </summary>
public static class WebhookAnswers
{
    /// <param name="answers">Taps made as fast as <paramref name="concurrency"/> callers go.</param>
    /// <param name="concurrency">Webhook calls in flight at once.</param>
    /// <param name="limit">The cluster's <c>Telegram:MaxMessagesPerSecond</c>.</param>
    /// <param name="paced">Taps made afterwards at <paramref name="pacedRate"/> a second, for latency below the sending limit.</param>
    /// <param name="pacedRate">Answers a second in the paced phase; below half the limit, since each answer sends two messages.</param>
    public static async Task RunAsync(int answers, int concurrency, int limit, int paced, double pacedRate)
    {
        await using var sandboxApp = await Loopback.StartSandboxAsync(maxMessagesPerSecond: null);
        var sandbox = Loopback.State(sandboxApp);
        await using var cluster = await QuizTestCluster.StartAsync(silos: 1, configuration: Loopback.TelegramConfiguration(sandboxApp, limit));
        await Loopback.WaitForActiveSilosAsync(cluster, 1);
        await using var gateway = await Loopback.StartGatewayAsync(cluster, sandboxApp);

        // Setup, not measured: subscribing sends the welcome and today's question through the real client (reply lane).
        var watch = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, answers + paced).Select(_ => LearnerIds.Next()).ToList();
        await Loopback.ForEachAsync(ids, 8, async id =>
        {
            var result = await cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
            if (result.Delivery.Status != DeliveryStatus.Sent)
            {
                throw new InvalidOperationException($"Setup: learner {id} subscribed with {result.Delivery.Status}.");
            }
        });
        await ClockExtensions.WaitUntilAsync(() => ids.All(id => Loopback.Questions(sandbox, id).Any()), TimeSpan.FromMinutes(5), "every first question");
        var random = new Random(1);
        var taps = ids.Select(id =>
        {
            var (question, _) = Loopback.Questions(sandbox, id).Single();
            var buttons = question.Buttons.Where(b => AnswerCallback.TryParse(b.CallbackData, out _, out _, out _)).ToList();
            return new Tap(id, question.MessageId, buttons[random.Next(buttons.Count)].CallbackData);
        }).ToList();
        Console.WriteLine($"setup: {ids.Count} learners subscribed through the real client in {watch.Elapsed.TotalSeconds:F1} s (not measured); sends accepted {sandbox.SendsAccepted}");
        Console.WriteLine($"webhook: one silo, Telegram:BroadcastPerSecond {limit} (replies are off that budget), sandbox unlimited; each answer = 1 write, the toast in the webhook's response, then editMessageText from the outbox");

        var full = await TapAllAsync(sandbox, taps.Take(answers).ToList(), concurrency, ratePerSecond: null);
        Report($"max (concurrency {concurrency})", full);
        var slow = await TapAllAsync(sandbox, taps.Skip(answers).ToList(), concurrency, pacedRate);
        Report($"paced at {pacedRate:F0}/s", slow);

        await ClockExtensions.WaitUntilAsync(() => taps.All(t => Edited(sandbox, t) is not null), TimeSpan.FromSeconds(60), "every edit with the feedback");
        var editsMissing = taps.Count(t => Edited(sandbox, t) is null);
        Console.WriteLine($"webhook: toasts {sandbox.CallbackAnswers.Count} of {taps.Count}; questions not edited with the feedback {editsMissing}; 429s {sandbox.TooManyRequests}");
        var acknowledged = full.Acknowledged.Concat(slow.Acknowledged).ToArray();
        var logged = await Database.ScalarAsync<long>(cluster.ConnectionString, "select count(*) from answers where learner_id = any(@ids)", ("ids", acknowledged));
        var learnersLogged = await Database.ScalarAsync<long>(cluster.ConnectionString, "select count(distinct learner_id) from answers where learner_id = any(@ids)", ("ids", acknowledged));
        Console.WriteLine(
            $"webhook: answer log: of {acknowledged.Length} answers acknowledged with 200, lost {acknowledged.Length - learnersLogged}, counted twice {logged - learnersLogged}");
        ReportReplies($"max (concurrency {concurrency})", sandbox, full);
        ReportReplies($"paced at {pacedRate:F0}/s", sandbox, slow);
    }

    private static async Task<Run> TapAllAsync(SandboxState sandbox, IReadOnlyList<Tap> taps, int concurrency, double? ratePerSecond)
    {
        var latencies = new double[taps.Count];
        var tapped = new DateTimeOffset[taps.Count];
        var statuses = new HttpStatusCode[taps.Count];
        var clock = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next) - 1;
                if (i >= taps.Count)
                {
                    return;
                }

                if (ratePerSecond is { } rate)
                {
                    var wait = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                var tap = taps[i];
                tapped[i] = DateTimeOffset.UtcNow;
                var started = Stopwatch.GetTimestamp();
                statuses[i] = await sandbox.TapAsync(tap.UserId, tap.MessageId, tap.CallbackData);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sent = taps.Select((t, i) => (t, tapped[i])).ToList();
        Array.Sort(latencies);
        var notOk = statuses.Count(s => s != HttpStatusCode.OK);
        var acknowledged = taps.Where((_, i) => statuses[i] == HttpStatusCode.OK).Select(t => t.UserId).ToList();
        return new Run(taps.Count, taps.Count / elapsed, Loopback.Percentile(latencies, 0.50), Loopback.Percentile(latencies, 0.99), latencies.Length == 0 ? 0 : latencies[^1], notOk, sent, acknowledged);
    }

    private static void Report(string phase, Run run) =>
        Console.WriteLine($"webhook {phase}: {run.Count} answers, {run.Rate:F1}/s, p50 {run.P50:F1} ms, p99 {run.P99:F1} ms, max {run.Max:F1} ms, non-200 {run.NotOk}");

    private sealed record Tap(long UserId, int MessageId, string CallbackData);

    /// <summary>From the tap to the edit with the feedback arriving at the sandbox.</summary>
    private static void ReportReplies(string phase, SandboxState sandbox, Run run)
    {
        var delays = run.Tapped.Select(t => Edited(sandbox, t.Tap) is { } at ? (at - t.At).TotalMilliseconds : double.PositiveInfinity).Order().ToList();
        Console.WriteLine($"webhook {phase}: edit with the feedback in the sandbox after the tap p50 {Loopback.Percentile(delays, 0.5):F0} ms, p99 {Loopback.Percentile(delays, 0.99):F0} ms, max {delays[^1]:F0} ms");
    }

    private static DateTimeOffset? Edited(SandboxState sandbox, Tap tap) =>
        sandbox.MessagesIn(tap.UserId).Single(m => m.MessageId == tap.MessageId) is { EditedAt: { } at } message && message.Text.Contains("Streak", StringComparison.Ordinal) ? at : null;

    private sealed record Run(int Count, double Rate, double P50, double P99, double Max, int NotOk, IReadOnlyList<(Tap Tap, DateTimeOffset At)> Tapped, IReadOnlyList<long> Acknowledged);
}
