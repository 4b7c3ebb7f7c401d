using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Quiz.Testing;

namespace Quiz.Benchmarks;

/// <summary>
/// One million learners on this machine (issue 10, section 2), in cumulative steps. Each step registers its learners
/// through the product's own write path (<c>IUserGrain.SubscribeAsync</c>: the state, the reminder, the welcome and
/// first question through the outbox) in a two-silo TestCluster, then starts two silo processes
/// (<c>Quiz.Silo.dll</c>, as production runs them) on the same service and measures them idle: each reads its range
/// of the reminder table at start, as every refresh does. A sample of learners answers for 30 simulated days in a
/// database of its own, for the answer log's bytes per learner.
/// What it shortcuts: the setup cluster sends to the recording messenger (no Telegram) and shares the process with
/// the client; a refresh is measured as the start-up pass, which reads the same rows with the same query.
/// </summary>
public static partial class Scale
{
    private const int ClockTicksPerSecond = 100;

    public static async Task RunAsync(IReadOnlyList<int> steps, int concurrency, int sampleLearners, int days, string? chart)
    {
        var postgres = await SharedPostgres.GetAsync();
        var admin = Environment.GetEnvironmentVariable("QUIZ_TEST_POSTGRES")
            ?? throw new InvalidOperationException("QUIZ_TEST_POSTGRES is not set: run bench/run-scale.sh, which starts the server.");
        await using var sandboxApp = await Loopback.StartSandboxAsync(maxMessagesPerSecond: null);
        var serviceId = $"quiz-scale-{Guid.NewGuid():N}"[..20];
        Console.WriteLine(
            $"scale: Orleans' default GrainCollectionOptions.CollectionAge {new GrainCollectionOptions().CollectionAge}; " +
            "the silo's reminder refresh every 30 min, loading window 40 min (docs/reminders.md)");

        await AnswerLogAsync(await postgres.CreateDatabaseAsync(), sampleLearners, days, concurrency);
        var baseline = await MeasureIdleSilosAsync(postgres.ConnectionString, admin, serviceId, sandboxApp, 0);
        Console.WriteLine($"scale: 0 learners: {baseline}");

        var points = new List<ScalePoint>();
        var registered = 0;
        foreach (var target in steps)
        {
            var (rate, heapPerActivation, bytes) = await RegisterAsync(postgres.ConnectionString, serviceId, target - registered, target, concurrency);
            registered = target;
            var idle = await MeasureIdleSilosAsync(postgres.ConnectionString, admin, serviceId, sandboxApp, target);
            var memoryPerLearner = (idle.RssBytes - baseline.RssBytes) / (double)target;
            var heapPerLearner = (idle.GcHeapBytes - baseline.GcHeapBytes) / (double)target;
            var point = new ScalePoint(target, rate, bytes, heapPerActivation, memoryPerLearner, idle);
            points.Add(point);
            Console.WriteLine(
                $"scale: {target:N0} learners: two silo processes idle: {idle}; memory per idle learner (resident set over the 0-learner baseline) " +
                $"{memoryPerLearner:F0} bytes, managed heap over the baseline {heapPerLearner:F0} bytes; " +
                $"a refresh reads every learner's row once: at the chosen 30 min {target / 1800.0:F1} rows/s, " +
                $"{target * idle.ReminderMilliseconds / Math.Max(1, idle.ReminderRows) / 1800.0 / 10:F4} % of a core of PostgreSQL statement time " +
                $"({idle.ReminderMilliseconds * 1000 / Math.Max(1, idle.ReminderRows):F2} µs a row as read at the start; estimate in docs/reminders.md: 1 M / 1,800 s = 556 rows/s)");
        }

        if (chart is not null && points.Count > 0)
        {
            ScaleChart.Save(points, chart);
            Console.WriteLine($"scale: chart written to {chart}");
        }
    }

    /// <summary>Registers <paramref name="count"/> more learners; returns the rate, the heap per resident activation and PostgreSQL's bytes per learner.</summary>
    private static async Task<(double Rate, double HeapPerActivation, TableBytes Bytes)> RegisterAsync(string connectionString, string serviceId, int count, int total, int concurrency)
    {
        await using var cluster = await QuizTestCluster.StartAsync(silos: 2, serviceId: serviceId, connectionString: connectionString, configuration: Loopback.PaidBroadcastConfiguration());
        cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var ids = Enumerable.Range(0, count).Select(_ => LearnerIds.Next()).ToList();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var activationsBefore = await cluster.Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
        var watch = Stopwatch.StartNew();
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en")));
        var elapsed = watch.Elapsed;
        // Let the sends and their receipts settle before measuring.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var activations = await cluster.Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        activations -= activationsBefore;
        var bytes = await TableBytes.MeasureAsync(connectionString, total);
        Console.WriteLine(
            $"registration: {total:N0} learners; the last {count:N0} in {elapsed.TotalSeconds:F1} s ({count / elapsed.TotalSeconds:F0}/s, {concurrency} in flight, two silos in one process); " +
            $"PostgreSQL bytes per learner (tables with their indexes): {bytes}; managed heap grew {heap / 1048576.0:F0} MB for {activations:N0} new activations = {(double)heap / activations:F0} bytes each (an upper bound: the recording messenger keeps a copy of every message)");
        return (count / elapsed.TotalSeconds, (double)heap / activations, bytes);
    }

    /// <summary>
    /// Two silo processes on the service, idle: started, ready, the start-up read of each one's reminder range done,
    /// then left 20 s to settle. Reports the reminder reads (pg_stat_statements), PostgreSQL's CPU over the whole
    /// start, and the processes' resident memory.
    /// </summary>
    private static async Task<IdleSilos> MeasureIdleSilosAsync(string connectionString, string admin, string serviceId, Microsoft.AspNetCore.Builder.WebApplication sandboxApp, int learners)
    {
        await ExecuteAsync(admin, "select pg_stat_statements_reset()");
        var cpuBefore = PostgresCpuSeconds();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Quiz"] = connectionString,
            ["Orleans__ClusterId"] = $"scale-{learners}",
            ["Orleans__ServiceId"] = serviceId,
            ["Telegram__BotToken"] = LoopbackGateway.BotToken,
            ["Telegram__ApiBaseUrl"] = Loopback.BaseUrl(sandboxApp),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var silos = Enumerable.Range(0, 2).Select(_ => SiloProcess.Start("Quiz.Silo", LoopbackGateway.FreePort(), new Dictionary<string, string>(environment)
        {
            ["Orleans__Endpoints__SiloPort"] = LoopbackGateway.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__Endpoints__GatewayPort"] = LoopbackGateway.FreePort().ToString(CultureInfo.InvariantCulture),
        })).ToList();
        try
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(silos.Select(s => s.WaitUntilReadyAsync(TimeSpan.FromMinutes(5))));
            var ready = watch.Elapsed;
            // Each silo reads its range once it owns it; with two silos the ring may be read again as the second joins.
            ReminderReads reads = default;
            await ClockExtensions.WaitUntilAsync(async () => (reads = await ReminderReadsAsync(admin)).Rows >= learners && reads.Calls >= 2, TimeSpan.FromMinutes(10), "both silos to read their reminder ranges");
            await Task.Delay(TimeSpan.FromSeconds(20));
            reads = await ReminderReadsAsync(admin);
            var cpu = PostgresCpuSeconds() - cpuBefore;
            var rss = silos.Sum(s => ResidentBytes(s.ProcessId));
            var heap = 0L;
            foreach (var silo in silos)
            {
                heap += await GcHeapBytesAsync(silo);
            }

            return new IdleSilos(ready, reads.Calls, reads.Rows, reads.Milliseconds, cpu, rss, heap);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The answer log's bytes per learner: <paramref name="learners"/> learners in a database of their own get their
    /// question and answer it on each of <paramref name="days"/> simulated days, through the grain API.
    /// </summary>
    private static async Task AnswerLogAsync(string connectionString, int learners, int days, int concurrency)
    {
        await using var cluster = await QuizTestCluster.StartAsync(connectionString: connectionString, configuration: Loopback.PaidBroadcastConfiguration());
        var clock = cluster.Services.Clock;
        clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
        await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en")));
        var watch = Stopwatch.StartNew();
        for (var day = 1; day <= days; day++)
        {
            if (day > 1)
            {
                clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
                await Loopback.ForEachAsync(ids, concurrency, id => cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync());
            }

            await Loopback.ForEachAsync(ids, concurrency, async id =>
            {
                var sent = (await cluster.Services.Sender.WaitForQuestionsAsync(id, day))[^1];
                await cluster.Grains.GetGrain<IUserGrain>(id).AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, (int)(id % 4)));
            });
        }

        var answers = await Database.ScalarAsync<long>(connectionString, "select count(*) from answers");
        var logBytes = await Database.ScalarAsync<long>(connectionString,
            "select coalesce(sum(pg_total_relation_size(inhrelid)), 0)::bigint from pg_inherits where inhparent = 'answers'::regclass");
        var state = await Database.ScalarAsync<double>(connectionString, "select avg(pg_column_size(payloadbinary))::float8 from orleansstorage where graintypestring = 'learner'");
        var stateBytes = await TableBytes.MeasureAsync(connectionString, learners);
        Console.WriteLine(
            $"answers: {learners:N0} learners answered on each of {days} simulated days ({answers:N0} answers in {watch.Elapsed.TotalSeconds:F0} s): " +
            $"answer log (every monthly partition with its indexes) {logBytes / (double)learners:F0} bytes per learner = {logBytes / (double)answers:F0} bytes per answer; " +
            $"after {days} days: {stateBytes}; state payload {state:F0} bytes");
    }

    private static async Task<ReminderReads> ReminderReadsAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select coalesce(sum(calls), 0)::bigint, coalesce(sum(rows), 0)::bigint, coalesce(sum(total_exec_time), 0)::float8
            from pg_stat_statements
            where query ilike '%from orleansreminderstable%' and query ilike '%grainhash >%'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ReminderReads(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>CPU seconds of every PostgreSQL process, with the children the postmaster has reaped (closed connections).</summary>
    private static double PostgresCpuSeconds()
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                if (!name.StartsWith("postgres", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the name: state is 3rd; utime 14th, stime 15th, cutime 16th, cstime 17th (proc(5)).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                    + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // A process that ended while being read.
            }
        }

        return ticks / (double)ClockTicksPerSecond;
    }

    private static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task<long> GcHeapBytesAsync(SiloProcess silo)
    {
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri(silo.Url, "/metrics"));
        return (long)HeapSize().Matches(scrape).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^dotnet_gc_last_collection_heap_size_bytes(\{[^}]*\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex HeapSize();

    private readonly record struct ReminderReads(long Calls, long Rows, double Milliseconds);
}

/// <summary>Two idle silo processes on a service of <c>n</c> learners.</summary>
public sealed record IdleSilos(TimeSpan Ready, long ReminderCalls, long ReminderRows, double ReminderMilliseconds, double PostgresCpuSeconds, long RssBytes, long GcHeapBytes)
{
    public override string ToString() =>
        $"ready in {Ready.TotalSeconds:F1} s; reminder range reads {ReminderCalls} returning {ReminderRows:N0} rows in {ReminderMilliseconds:F0} ms of statement time; " +
        $"PostgreSQL CPU over the start {PostgresCpuSeconds:F1} s; resident set {RssBytes / 1048576.0:F0} MB, managed heap after the last collection {GcHeapBytes / 1048576.0:F0} MB (both silos)";
}

/// <summary>PostgreSQL's bytes per learner, each table with its indexes.</summary>
public sealed record TableBytes(double State, double Reminder, double Due, double Outbox)
{
    public double Total => State + Reminder + Due + Outbox;

    public static async Task<TableBytes> MeasureAsync(string connectionString, int learners)
    {
        async Task<double> PerLearner(string table) =>
            await Database.ScalarAsync<long>(connectionString, $"select pg_total_relation_size('{table}')") / (double)learners;
        return new TableBytes(await PerLearner("orleansstorage"), await PerLearner("orleansreminderstable"), await PerLearner("learner_due"), await PerLearner("learner_outbox_pending"));
    }

    public override string ToString() => $"state {State:F0}, reminder {Reminder:F0}, due {Due:F0}, outbox pending {Outbox:F0} (in all {Total:F0})";
}

/// <summary>One step of the scale run.</summary>
public sealed record ScalePoint(int Learners, double RegistrationRate, TableBytes Bytes, double HeapPerActivation, double MemoryPerIdleLearner, IdleSilos Idle);
