using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Orleans.Runtime;
using Quiz.Learners;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Benchmarks;

/// <summary>
/// The daily fan-out: <c>learners</c> learners share one delivery time, and every one's daily question becomes due in
/// the same second. A two-silo cluster sends through the real Telegram client to the sandbox, which answers 429 above
/// Telegram's 30 messages a second. See docs/benchmarks.md for why the setup is honest and what each figure means.
/// </summary>
public static class DailyFanOut
{
    /// <summary>Telegram's limit per bot, which the sandbox enforces (429 above it).</summary>
    public const int TelegramLimit = 30;

    private const int Silos = 2;
    private static readonly TimeOnly DeliveryTime = new(10, 0);

    /// <param name="learners">How many learners share the delivery time.</param>
    /// <param name="limit">The cluster's <c>Telegram:MaxMessagesPerSecond</c>.</param>
    /// <param name="concurrency">Delivery calls in flight at once; <c>learners</c> fires every one in the same second.</param>
    /// <param name="retryAfter">The measured cluster's <c>Delivery:RetryAfterFailedSend</c> (production: 5 minutes).</param>
    /// <param name="answerEvery">
    /// 0: nobody answers. n: every n-th learner taps an answer through the gateway a second after their question
    /// arrived, while the fan-out still runs, to see whether replies (edit and feedback) keep their lane.
    /// </param>
    public static async Task RunAsync(int learners, int limit, int concurrency, TimeSpan retryAfter, int answerEvery)
    {
        // One clock and one service id for both clusters: the learners' state and reminders stay in PostgreSQL between them.
        var services = new TestClusterServices();
        var ids = Enumerable.Range(0, learners).Select(_ => ClusterFixture.NewLearnerId()).ToList();
        var serviceId = await SubscribeEveryoneAsync(services, ids);

        var probe = new SandboxProbe();
        await using var sandboxApp = await Loopback.StartSandboxAsync(TelegramLimit, probe);
        var sandbox = Loopback.State(sandboxApp);
        var configuration = Loopback.TelegramConfiguration(sandboxApp, limit);
        configuration["Delivery:RetryAfterFailedSend"] = retryAfter.ToString("c", CultureInfo.InvariantCulture);
        await using var cluster = await QuizTestCluster.StartAsync(Silos, serviceId, services, configuration);
        await Loopback.WaitForActiveSilosAsync(cluster, Silos);
        await using var gateway = answerEvery > 0 ? await Loopback.StartGatewayAsync(cluster, sandboxApp) : null;
        Console.WriteLine(
            $"fanout: {Silos} silos, Telegram:BroadcastPerSecond {limit}, sandbox limit {TelegramLimit}/s; RetryAfterFailedSend {retryAfter.TotalSeconds:0} s; " +
            $"concurrency {concurrency}; {(answerEvery > 0 ? $"every {answerEvery}th learner answers 1 s after their question" : "nobody answers")}");

        // Tomorrow at the delivery time: every learner's question is due now.
        var due = services.Clock.AdvanceToNextDayAt(DeliveryTime);
        var day = DateOnly.FromDateTime(due.UtcDateTime);
        var answerers = answerEvery > 0 ? ids.Where((_, i) => i % answerEvery == 0).ToHashSet() : [];
        var answers = new ConcurrentBag<Task<AnswerTap>>();
        var fired = DateTimeOffset.UtcNow;
        var runs = await DeliverEveryoneAsync(cluster, ids, concurrency, retryAfter, fired, id =>
        {
            if (answerers.Contains(id))
            {
                answers.Add(AnswerAsync(sandbox, id, day));
            }
        });
        var taps = await Task.WhenAll(answers);
        Report(sandbox, probe, ids, day, fired, runs, limit, taps);

        // Each silo sends at most its share of the limit, so how the learners' grains are spread over the silos matters.
        var statistics = await cluster.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var perSilo = statistics.Where(s => s.GrainType.Contains(nameof(UserGrain), StringComparison.Ordinal))
            .GroupBy(s => s.SiloAddress).Select(g => g.Sum(s => s.ActivationCount));
        Console.WriteLine($"fanout: learner grain activations per silo [{string.Join(", ", perSilo)}]");
    }

    /// <summary>
    /// Setup, not measured: subscribes everybody through the grain API in a cluster whose silos record what they would
    /// send (no Telegram, so no pacing). Day D, 08:00 UTC, before the 10:00 delivery time: the welcome and day D's
    /// question go to the recording messenger, and each learner's reminder is registered for day D+1 10:00.
    /// </summary>
    private static async Task<string> SubscribeEveryoneAsync(TestClusterServices services, IReadOnlyList<long> ids)
    {
        var watch = Stopwatch.StartNew();
        await using var setup = await QuizTestCluster.StartAsync(silos: 1, services: services);
        await Loopback.ForEachAsync(ids, 64, async id =>
        {
            var result = await setup.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
            if (result.Delivery.Status != DeliveryStatus.Sent)
            {
                throw new InvalidOperationException($"Setup: learner {id} subscribed with {result.Delivery.Status}.");
            }
        });
        Console.WriteLine($"setup: {ids.Count} learners subscribed on {services.Clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC in {watch.Elapsed.TotalSeconds:F1} s (setup cluster, recording messenger; not measured)");
        return setup.ServiceId;
    }

    /// <summary>
    /// What every learner's reminder tick does, all due in the same second: <c>DeliverDueQuestionAsync</c>. A call that
    /// returns Failed (no sending slot within MaxDailyQueueWait) is called again when the grain's re-registered reminder
    /// would fire: at a random point between a tenth and the whole of <paramref name="retryAfter"/> (RetryAfterFailedSend)
    /// after it returned. The wait holds no concurrency slot.
    /// </summary>
    private static async Task<IReadOnlyList<LearnerRun>> DeliverEveryoneAsync(QuizTestCluster cluster, IReadOnlyList<long> ids, int concurrency, TimeSpan retryAfter, DateTimeOffset fired, Action<long> sent)
    {
        var runs = new ConcurrentBag<LearnerRun>();
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(ids.Select(async id =>
        {
            var run = new LearnerRun(id);
            runs.Add(run);
            while (true)
            {
                await gate.WaitAsync();
                try
                {
                    run.Attempts++;
                    var result = await cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync();
                    run.Statuses.Add(result.Status.ToString());
                    if (result.Status is DeliveryStatus.Sent or DeliveryStatus.AlreadySent)
                    {
                        run.DoneAfter = DateTimeOffset.UtcNow - fired;
                        sent(id);
                        return;
                    }

                    if (result.Status != DeliveryStatus.Failed)
                    {
                        return;
                    }
                }
                catch (Exception exception) when (exception is TimeoutException or OrleansException)
                {
                    // The call's outcome is unknown (the grain may still send); the reminder's retry settles it.
                    run.Statuses.Add(exception.GetType().Name);
                }
                finally
                {
                    gate.Release();
                }

                // As UserGrain.RetryDelay: the reminder comes back at a random point in the last nine tenths of the delay.
                await Task.Delay(retryAfter * (0.1 + (0.9 * Random.Shared.NextDouble())));
            }
        }));
        return [.. runs];
    }

    /// <summary>The learner reads their question for a second, then taps an answer: the sandbox POSTs it to the gateway.</summary>
    private static async Task<AnswerTap> AnswerAsync(SandboxState sandbox, long id, DateOnly day)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var question = Loopback.Questions(sandbox, id).First(q => q.Day == day).Message;
        var buttons = question.Buttons.Where(b => AnswerCallback.TryParse(b.CallbackData, out _, out _, out _)).ToList();
        var started = Stopwatch.GetTimestamp();
        int status;
        try
        {
            status = (int)await sandbox.TapAsync(id, question.MessageId, buttons[(int)(id % buttons.Count)].CallbackData);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
        {
            status = 0; // the webhook could not be reached: counted as a non-200
        }

        return new AnswerTap(id, question.MessageId, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static void Report(
        SandboxState sandbox, SandboxProbe probe, IReadOnlyList<long> ids, DateOnly day, DateTimeOffset fired, IReadOnlyList<LearnerRun> runs, int limit, IReadOnlyList<AnswerTap> taps)
    {
        // An answered question was edited without its buttons; it still counts as the day's question.
        var tapped = taps.Select(t => (t.Id, t.MessageId)).ToHashSet();
        var perLearner = ids.Select(id => sandbox.MessagesIn(id)
            .Where(m => tapped.Contains((id, m.MessageId)) || Loopback.Questions(sandbox, id).Any(q => q.Day == day && q.Message.MessageId == m.MessageId))
            .Select(m => m.SentAt).ToList()).ToList();
        var sentAt = perLearner.SelectMany(t => t).Order().ToList();
        var none = perLearner.Count(t => t.Count == 0);
        var twice = perLearner.Count(t => t.Count > 1);
        if (sentAt.Count == 0)
        {
            Console.WriteLine("fanout: no question reached the sandbox");
            return;
        }

        var first = (sentAt[0] - fired).TotalSeconds;
        var last = (sentAt[^1] - fired).TotalSeconds;
        var seconds = sentAt.GroupBy(t => (int)(t - fired).TotalSeconds).ToDictionary(g => g.Key, g => g.Count());
        var idle = Enumerable.Range((int)first, (int)last - (int)first + 1).Count(s => !seconds.ContainsKey(s));
        var lags = sentAt.Select(t => (t - fired).TotalSeconds).ToList();
        var statuses = runs.SelectMany(r => r.Statuses).GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var attempts = runs.GroupBy(r => r.Attempts).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        var notDone = runs.Count(r => r.DoneAfter is null);
        var lastCall = runs.Max(r => r.DoneAfter ?? TimeSpan.Zero).TotalSeconds;

        Console.WriteLine($"fanout: {ids.Count} learners due at once; questions for {day:yyyy-MM-dd} in the sandbox: {sentAt.Count}");
        Console.WriteLine($"fanout: learners with no question {none}, with two or more {twice}, whose calls never ended Sent/AlreadySent {notDone}");
        Console.WriteLine($"fanout: rate {sentAt.Count / last:F1} msg/s from the due second to the last question ({sentAt.Count / Math.Max(0.001, last - first):F1}/s between the first and last send) vs limit {limit}/s");
        Console.WriteLine($"fanout: largest count in any 1 s window (sandbox) {sandbox.MaxSendsInAnySecond}; 429s received {sandbox.TooManyRequests}; sends accepted {sandbox.SendsAccepted}; seconds with no send between first and last {idle}");
        Console.WriteLine($"fanout: time until the last learner had their question {last:F1} s; last call returned {lastCall:F1} s; first question {first:F1} s; p50 {Loopback.Percentile(lags, 0.5):F1} s, p90 {Loopback.Percentile(lags, 0.9):F1} s");
        Console.WriteLine($"fanout: questions per second from the due second: {Loopback.Timeline(sentAt, fired, sentAt[^1])}");
        Console.WriteLine($"fanout: 429s per second from the due second: {Loopback.Timeline(probe.TooManyRequests, fired, sentAt[^1])}");
        Console.WriteLine($"fanout: call results: {string.Join(", ", statuses)}; attempts per learner: {string.Join(", ", attempts)}");
        if (taps.Count > 0)
        {
            var latencies = taps.Select(t => t.Milliseconds).Order().ToList();
            var notEdited = taps.Count(t => !sandbox.MessagesIn(t.Id).Single(m => m.MessageId == t.MessageId).Edited);
            var noFeedback = taps.Count(t => !sandbox.MessagesIn(t.Id).Any(m => m.MessageId > t.MessageId));
            Console.WriteLine(
                $"fanout answers during the fan-out: {taps.Count} taps through the webhook, p50 {Loopback.Percentile(latencies, 0.5):F0} ms, p99 {Loopback.Percentile(latencies, 0.99):F0} ms, " +
                $"max {latencies[^1]:F0} ms, non-200 {taps.Count(t => t.Status != 200)}; questions not edited {notEdited}; answers without a feedback message {noFeedback}");
        }
    }

    private sealed record AnswerTap(long Id, int MessageId, int Status, double Milliseconds);

    private sealed class LearnerRun(long id)
    {
        public long Id { get; } = id;

        public int Attempts { get; set; }

        public List<string> Statuses { get; } = [];

        public TimeSpan? DoneAfter { get; set; }
    }
}
