using System.Diagnostics;
using Quiz.Testing;

namespace Quiz.Benchmarks;

/// <summary>
/// Answer calls against a one-silo TestCluster on PostgreSQL: first as fast as <c>concurrency</c> callers can go,
/// then paced at half that rate for latency. Each answer is one grain call that writes the learner state and
/// appends the answer log in one statement.
/// </summary>
public static class AnswerThroughput
{
    public static async Task RunAsync(int learners, int concurrency)
    {
        // Messages go to a recording sender, not to Telegram: the broadcast budget is set to Telegram's paid ceiling so
        // that the second day's 4,000 questions do not take minutes to leave before the paced run can answer them.
        await using var cluster = await QuizTestCluster.StartAsync(configuration: Loopback.PaidBroadcastConfiguration());
        var clock = cluster.Services.Clock;
        clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en")));
        // The grain hands its messages to the silo's sender and returns: wait for each question before answering it.
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Services.Sender.WaitForQuestionsAsync(id, 1));

        var reads = await StatsCallsAsync(cluster, ids, concurrency);
        Console.WriteLine($"grain calls without a write (GetStats): {reads:F0}/s");

        var warmup = await AnswerAllAsync(cluster, ids.Take(Math.Min(200, learners)).ToList(), concurrency, ratePerSecond: null);
        var full = await AnswerAllAsync(cluster, ids.Skip(warmup.Count).ToList(), concurrency, ratePerSecond: null);
        Report("max", full);

        clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync());
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Services.Sender.WaitForQuestionsAsync(id, 2));
        var half = await AnswerAllAsync(cluster, ids, concurrency, ratePerSecond: full.Rate / 2);
        Report("half", half);
    }

    private static async Task<Run> AnswerAllAsync(QuizTestCluster cluster, IReadOnlyList<long> ids, int concurrency, double? ratePerSecond)
    {
        var latencies = new double[ids.Count];
        var random = new Random(1);
        var choices = ids.Select(_ => random.Next(4)).ToArray();
        var clock = Stopwatch.StartNew();
        var next = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next) - 1;
                if (i >= ids.Count)
                {
                    return;
                }

                if (ratePerSecond is { } rate)
                {
                    var due = TimeSpan.FromSeconds(i / rate);
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                var id = ids[i];
                var sent = cluster.Services.Sender.SentTo(id)[^1];
                var started = Stopwatch.GetTimestamp();
                var outcome = await cluster.Grains.GetGrain<IUserGrain>(id)
                    .AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, choices[i]));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (outcome.Status != AnswerStatus.Counted)
                {
                    throw new InvalidOperationException($"learner {id}: {outcome.Status}");
                }
            }
        });
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Run(ids.Count, ids.Count / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static async Task<double> StatsCallsAsync(QuizTestCluster cluster, IReadOnlyList<long> ids, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).GetStatsAsync());
        return ids.Count / clock.Elapsed.TotalSeconds;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];

    private static void Report(string phase, Run run) =>
        Console.WriteLine($"answers {phase}: {run.Count} answers, {run.Rate:F0}/s, p50 {run.P50:F1} ms, p99 {run.P99:F1} ms");

    private sealed record Run(int Count, double Rate, double P50, double P99);
}
