using System.Diagnostics;
using Orleans.Runtime;
using Quiz.Testing;

namespace Quiz.Benchmarks;

/// <summary>
/// Registers learners through the product's own write path (<c>IUserGrain.SubscribeAsync</c>: the state, the reminder
/// and the welcome and first question in the outbox) in a one-silo TestCluster on PostgreSQL, in steps, and reports
/// after each: how fast, PostgreSQL's bytes per learner, and the process's managed heap per resident activation. What
/// it shortcuts: messages go to the recording sender (no Telegram), which keeps a copy of each, so the heap figure is
/// an upper bound; client and silo share the process.
/// </summary>
public static class Registration
{
    public static async Task RunAsync(IReadOnlyList<int> steps, int concurrency)
    {
        await using var cluster = await QuizTestCluster.StartAsync(configuration: new Dictionary<string, string>
        {
            ["Telegram:BroadcastPerSecond"] = "1000",
            ["Telegram:PaidBroadcast"] = "true",
        });
        cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var registered = 0;
        foreach (var target in steps)
        {
            var ids = Enumerable.Range(0, target - registered).Select(_ => LearnerIds.Next()).ToList();
            var watch = Stopwatch.StartNew();
            await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en")));
            var elapsed = watch.Elapsed;
            registered = target;
            // Let the sends and their receipts settle before measuring.
            await Task.Delay(TimeSpan.FromSeconds(10));
            var activations = await management.GetTotalActivationCount();
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            var state = await BytesAsync(cluster, "orleansstorage");
            var reminders = await BytesAsync(cluster, "orleansreminderstable");
            var due = await BytesAsync(cluster, "learner_due");
            var owed = await BytesAsync(cluster, "learner_outbox_pending");
            Console.WriteLine(
                $"registration: {target:N0} learners; the last {ids.Count:N0} in {elapsed.TotalSeconds:F1} s ({ids.Count / elapsed.TotalSeconds:F0}/s, {concurrency} in flight); " +
                $"PostgreSQL bytes per learner (tables with their indexes): state {state / target:F0}, reminder {reminders / target:F0}, due {due / target:F0}, " +
                $"outbox pending {owed / target:F0}; managed heap {heap / 1048576.0:F0} MB for {activations:N0} activations = {(double)heap / activations:F0} bytes each (upper bound)");
        }
    }

    private static Task<long> BytesAsync(QuizTestCluster cluster, string table) =>
        Database.ScalarAsync<long>(cluster.ConnectionString, $"select pg_total_relation_size('{table}')");
}
