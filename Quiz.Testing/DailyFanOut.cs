using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Quiz.Sandbox;
using global::Telegram.Bot;

namespace Quiz.Testing;

/// <summary>
/// The daily fan-out through the production path: <c>learners</c> learners share one delivery minute, and the
/// product's own reminders fire every one's daily question in silo processes (<c>Quiz.Silo.dll</c>, as production
/// runs them) on PostgreSQL, which send through the real Telegram client to the sandbox. The sandbox enforces
/// Telegram's limits: 30 broadcasts a second (1,000 with allow_paid_broadcast) and about one message a second in a
/// chat, answering 429 with retry_after above them. What it shortcuts is said in docs/benchmarks.md: the learners are
/// subscribed beforehand in a setup cluster of their own (not measured), and the sandbox runs in this process.
/// </summary>
public static partial class DailyFanOut
{
    /// <summary>Telegram's free broadcast limit per bot, which the sandbox enforces (429 above it).</summary>
    public const int TelegramLimit = 30;

    /// <summary>Telegram's paid-broadcast limit.</summary>
    public const int PaidLimit = 1000;

    /// <param name="learners">How many learners share the delivery minute.</param>
    /// <param name="limit">The cluster's <c>Telegram:BroadcastPerSecond</c>.</param>
    /// <param name="concurrency">Setup calls in flight at once (the fan-out itself is the reminders').</param>
    /// <param name="retryAfter">The silos' <c>Delivery:RetryAfterFailedSend</c>.</param>
    /// <param name="answerEvery">0: nobody answers. n: every n-th learner taps an answer through the gateway process a second after their question arrived.</param>
    /// <param name="silos">Silo processes.</param>
    /// <param name="killSiloAfter">0: no fault. n: the first silo process is killed (SIGKILL) once n learners have their question.</param>
    /// <param name="fault">Null, <c>kill-silo</c> or <c>burst</c>: the fault whose verdict the run prints (burst: PostgreSQL has fewer connections than the silos' pools, see bench/faults/burst.sh).</param>
    /// <param name="output">Where the report goes (the console when null).</param>
    /// <returns>Whether the run passed: every learner has the day's question and every acknowledged answer is stored.</returns>
    public static async Task<bool> RunAsync(int learners, int limit, int concurrency, TimeSpan retryAfter, int answerEvery, int silos, int killSiloAfter = 0, string? fault = null, TextWriter? output = null)
    {
        var log = output ?? Console.Out;
        fault ??= killSiloAfter > 0 ? "kill-silo" : null;
        var paid = limit > TelegramLimit;
        if (fault is null)
        {
            log.WriteLine($"sandbox: ceiling {await SandboxCeilingAsync():F0} sendMessage/s (unlimited sandbox in this process, 32 callers through Telegram.Bot for 5 s)");
        }


        var (setup, ids, due) = await SubscribeEveryoneAsync(log, learners, Math.Clamp(concurrency, 1, 64), silos);
        await using var sandboxApp = SandboxApp.Build(
            new SandboxOptions
            {
                BotToken = LoopbackGateway.BotToken, MaxMessagesPerSecond = TelegramLimit, MaxPaidMessagesPerSecond = PaidLimit, PerChatBurst = 3,
            },
            "http://127.0.0.1:0",
            [Loopback.LogLevelArgument]);
        await sandboxApp.StartAsync();
        var sandbox = Loopback.State(sandboxApp);

        var hosts = new List<SiloProcess>();
        try
        {
            var environment = Environment(setup, sandboxApp, limit, paid, retryAfter);
            if (fault == "burst")
            {
                // The due sweep at a pace a benchmark can wait for: lost ticks are found a minute after their instant.
                environment["Delivery__DueSweepInterval"] = "00:00:20";
                environment["Delivery__DueSweepGrace"] = "00:01:00";
            }

            hosts.AddRange(Enumerable.Range(0, silos).Select(_ => SiloProcess.Start("Quiz.Silo", LoopbackGateway.FreePort(), WithPorts(environment))));
            await Task.WhenAll(hosts.Select(h => h.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
            SiloProcess? gateway = null;
            if (answerEvery > 0)
            {
                var port = LoopbackGateway.FreePort();
                gateway = SiloProcess.Start("Quiz.Gateway", port, new Dictionary<string, string>(environment)
                {
                    ["Telegram__WebhookSecret"] = LoopbackGateway.WebhookSecret,
                    ["Telegram__WebhookUrl"] = $"http://127.0.0.1:{port}/telegram/webhook",
                });
                hosts.Add(gateway);
                await ClockExtensions.WaitUntilAsync(() => sandbox.Webhook is not null, TimeSpan.FromSeconds(90), "the gateway to register its webhook");
            }

            log.WriteLine(
                $"fanout: {silos} silo processes on PostgreSQL, Telegram:BroadcastPerSecond {limit}{(paid ? " with Telegram:PaidBroadcast" : "")}, " +
                $"sandbox limits {TelegramLimit}/s free, {PaidLimit}/s paid, 3 per chat in 3 s; RetryAfterFailedSend {retryAfter.TotalSeconds:0} s; " +
                $"{(answerEvery > 0 ? $"every {answerEvery}th learner answers through the gateway process 1 s after their question" : "nobody answers")}; " +
                $"every reminder due at {due:HH:mm:ss} UTC, {(due - DateTimeOffset.UtcNow).TotalSeconds:F0} s from now");

            var day = DateOnly.FromDateTime(due.UtcDateTime);
            var answerers = answerEvery > 0 ? ids.Where((_, i) => i % answerEvery == 0).ToHashSet() : [];
            var killed = killSiloAfter > 0 ? KillWhenDeliveredAsync(log, hosts[0], sandbox, killSiloAfter) : Task.FromResult<DateTimeOffset?>(null);
            var taps = await ObserveAsync(sandbox, ids, day, due, answerers, TimeSpan.FromSeconds(Math.Max(180 + (2.0 * learners / limit), learners / 100.0)));
            Report(log, sandbox, ids, day, due, limit, taps);
            await ReportStateAsync(log, setup, sandbox, ids, day);
            if (fault is not null)
            {
                return await VerdictAsync(log, fault, setup, sandbox, ids, taps, await killed);
            }
            foreach (var (host, i) in hosts.Where(h => h != gateway).Select((h, i) => (h, i)))
            {
                log.WriteLine($"fanout: silo {i + 1}: daily questions sent {await DailySendsAsync(host)}");
            }

            return true;
        }
        finally
        {
            foreach (var (host, i) in hosts.Select((h, i) => (h, i)))
            {
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), $"quiz-bench-host-{i + 1}.log"), host.Output);
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Setup, not measured: subscribes everybody through the grain API in an in-process cluster that records what it
    /// would send, with the learners' clock a day back (so yesterday's question is out), then sets every learner's
    /// delivery time to the next whole minute after the silos will be up, with the clock following real time, so that
    /// every reminder is stored due at that same instant. The cluster is then stopped; the learners stay in PostgreSQL.
    /// </summary>
    private static async Task<(QuizTestCluster Setup, IReadOnlyList<long> Ids, DateTimeOffset Due)> SubscribeEveryoneAsync(TextWriter log, int learners, int concurrency, int silos)
    {
        var watch = Stopwatch.StartNew();
        var setup = await QuizTestCluster.StartAsync(silos: 1);
        var clock = setup.Services.Clock;
        clock.SetUtcNow(DateTimeOffset.UtcNow.AddDays(-1));
        var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
        await Loopback.ForEachAsync(ids, concurrency, id => setup.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en")));
        var subscribed = watch.Elapsed;

        // Scheduling takes about as long as subscribing; then the silo processes start (about 20 s) and settle.
        var earliest = DateTimeOffset.UtcNow + (subscribed * 1.5) + TimeSpan.FromSeconds(60 + (10 * silos));
        var due = new DateTimeOffset(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, earliest.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        using var following = new CancellationTokenSource();
        var follower = FollowRealTimeAsync(clock, following.Token);
        await Loopback.ForEachAsync(ids, concurrency, id => setup.Grains.GetGrain<IUserGrain>(id).SetScheduleAsync(TimeOnly.FromDateTime(due.UtcDateTime), "UTC"));
        await following.CancelAsync();
        await follower;
        // Every welcome and schedule confirmation recorded, then their receipts saved, so that the measured silos'
        // outbox sweep finds nothing from the setup to send again.
        await ClockExtensions.WaitUntilAsync(() => ids.All(id => setup.Services.Sender.TextsTo(id).Count >= 2), TimeSpan.FromMinutes(10), "every setup reply");
        for (var round = 0; round < 5 && await PendingAsync(setup) is { Count: > 0 } unsaved; round++)
        {
            await Loopback.ForEachAsync(unsaved, concurrency, id => setup.Grains.GetGrain<IUserGrain>(id).ResumeOutboxAsync());
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        await setup.DisposeAsync();
        var owed = await Database.ScalarAsync<long>(setup.ConnectionString, "select count(*) from learner_outbox_pending where serviceid = @s", ("s", setup.ServiceId));
        log.WriteLine(
            $"setup: {learners} learners subscribed in {subscribed.TotalSeconds:F1} s and scheduled for {due:HH:mm} UTC in {(watch.Elapsed - subscribed).TotalSeconds:F1} s " +
            $"(setup cluster, recording messenger; not measured); outboxes still owing after setup {owed}");
        return (setup, ids, due);
    }

    private static async Task<IReadOnlyList<long>> PendingAsync(QuizTestCluster setup)
    {
        await using var connection = new Npgsql.NpgsqlConnection(setup.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select learner_id from learner_outbox_pending where serviceid = @s", connection);
        command.Parameters.AddWithValue("s", setup.ServiceId);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task FollowRealTimeAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            if (now > clock.GetUtcNow())
            {
                clock.SetUtcNow(now);
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    private static Dictionary<string, string> Environment(QuizTestCluster setup, WebApplication sandbox, int limit, bool paid, TimeSpan retryAfter) => new()
    {
        ["ConnectionStrings__Quiz"] = setup.ConnectionString,
        ["Orleans__ClusterId"] = setup.Cluster.Options.ClusterId,
        ["Orleans__ServiceId"] = setup.ServiceId,
        ["Telegram__BotToken"] = LoopbackGateway.BotToken,
        ["Telegram__ApiBaseUrl"] = Loopback.BaseUrl(sandbox),
        ["Telegram__BroadcastPerSecond"] = limit.ToString(CultureInfo.InvariantCulture),
        ["Telegram__PaidBroadcast"] = paid ? "true" : "false",
        ["Delivery__RetryAfterFailedSend"] = retryAfter.ToString("c", CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static Dictionary<string, string> WithPorts(Dictionary<string, string> environment) => new(environment)
    {
        ["Orleans__Endpoints__SiloPort"] = LoopbackGateway.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Orleans__Endpoints__GatewayPort"] = LoopbackGateway.FreePort().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Watches the sandbox until every learner has the day's question or the time is up; meanwhile each answerer taps
    /// an answer a second after their question arrived (the sandbox POSTs it to the gateway process).
    /// </summary>
    private static async Task<IReadOnlyList<AnswerTap>> ObserveAsync(SandboxState sandbox, IReadOnlyList<long> ids, DateOnly day, DateTimeOffset due, HashSet<long> answerers, TimeSpan patience)
    {
        var taps = new ConcurrentBag<Task<AnswerTap>>();
        var waiting = new HashSet<long>(answerers);
        var deadline = due + patience;
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var id in waiting.ToList())
            {
                if (Loopback.Questions(sandbox, id).FirstOrDefault(q => q.Day == day).Message is { } question)
                {
                    waiting.Remove(id);
                    taps.Add(TapAsync(sandbox, id, question));
                }
            }

            if (DateTimeOffset.UtcNow > due && waiting.Count == 0 && DeliveredCount(sandbox) >= ids.Count)
            {
                break;
            }

            await Task.Delay(200);
        }

        return await Task.WhenAll(taps);
    }

    private static readonly TimeSpan InFlightWindow = TimeSpan.FromSeconds(2);

    private static async Task<DateTimeOffset?> KillWhenDeliveredAsync(TextWriter log, SiloProcess silo, SandboxState sandbox, int delivered)
    {
        await ClockExtensions.WaitUntilAsync(() => DeliveredCount(sandbox) >= delivered, TimeSpan.FromMinutes(10), $"{delivered} learners to have their question");
        silo.Kill();
        var at = DateTimeOffset.UtcNow;
        log.WriteLine($"fault: silo 1 killed (SIGKILL) after {DeliveredCount(sandbox)} learners had their question");
        return at;
    }

    /// <summary>
    /// The kill-silo fault's verdict: every learner has the day's question (a second copy only for a send that was in
    /// flight at the crash: first sent within <see cref="InFlightWindow"/> before it), and every answer the webhook
    /// acknowledged with 200 is in the answer log.
    /// </summary>
    private static async Task<bool> VerdictAsync(TextWriter log, string fault, QuizTestCluster setup, SandboxState sandbox, IReadOnlyList<long> ids, IReadOnlyList<AnswerTap> taps, DateTimeOffset? killedAt)
    {
        var perLearner = sandbox.Broadcasts.GroupBy(b => b.ChatId).ToDictionary(g => g.Key, g => g.ToList());
        var none = ids.Count(id => !perLearner.ContainsKey(id));
        var twice = perLearner.Values.Where(b => b.Count > 1).ToList();
        var moreThanTwice = twice.Count(b => b.Count > 2);
        // In flight at the crash: sent by the killed silo but not yet saved as sent, which takes one state write.
        var duplicateNotAroundTheCrash = killedAt is { } at ? twice.Count(b => b[0].SentAt < at - InFlightWindow || b[0].SentAt > at) : twice.Count;
        var acknowledged = taps.Where(t => t.Status == 200).Select(t => t.Id).ToArray();
        var logged = await Database.ScalarAsync<long>(setup.ConnectionString,
            "select count(distinct learner_id) from answers where learner_id = any(@ids)", ("ids", acknowledged));
        var lost = acknowledged.Length - logged;
        var recovered = killedAt is { } killed && perLearner.Count > 0 ? (sandbox.Broadcasts.Max(b => b.SentAt) - killed).TotalSeconds : 0;
        if (fault == "burst")
        {
            var burstPassed = none == 0 && lost == 0;
            log.WriteLine(
                $"fault burst: {(burstPassed ? "PASS" : "FAIL")}: {ids.Count} learners due at once, PostgreSQL with fewer connections than the silos' pools; " +
                $"learners without their question {none}, with two {twice.Count}; answers acknowledged {acknowledged.Length}, lost {lost}; " +
                $"last question {(sandbox.Broadcasts.Count > 0 ? (sandbox.Broadcasts.Max(b => b.SentAt) - sandbox.Broadcasts.Min(b => b.SentAt)).TotalSeconds : 0):F0} s after the first");
            return burstPassed;
        }

        var passed = killedAt is not null && none == 0 && lost == 0 && moreThanTwice == 0 && duplicateNotAroundTheCrash == 0;
        log.WriteLine(
            $"fault kill-silo: {(passed ? "PASS" : "FAIL")}: {ids.Count} learners, silo 1 of 2 killed during the fan-out; learners without their question {none}; " +
            $"with two {twice.Count} (first copy in the {InFlightWindow.TotalSeconds:0} s before the crash: {twice.Count - duplicateNotAroundTheCrash}), with more {moreThanTwice}; " +
            $"answers acknowledged {acknowledged.Length}, lost {lost}; last question {recovered:F0} s after the kill");
        return passed;
    }

    /// <summary>Learners who have had a broadcast: in the measured run the daily questions are the only broadcasts.</summary>
    private static int DeliveredCount(SandboxState sandbox) => sandbox.Broadcasts.Select(b => b.ChatId).Distinct().Count();

    private static async Task<AnswerTap> TapAsync(SandboxState sandbox, long id, SandboxMessage question)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var buttons = question.Buttons.Where(b => AnswerCallback.TryParse(b.CallbackData, out _, out _, out _)).ToList();
        var tappedAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        int status;
        try
        {
            status = (int)await sandbox.TapAsync(id, question.MessageId, buttons[(int)(id % buttons.Count)].CallbackData);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException)
        {
            status = 0;
        }

        return new AnswerTap(id, question.MessageId, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, tappedAt);
    }

    private static void Report(TextWriter log, SandboxState sandbox, IReadOnlyList<long> ids, DateOnly day, DateTimeOffset due, int limit, IReadOnlyList<AnswerTap> taps)
    {
        // In the measured run the daily questions are the only broadcasts (the answers' edits are replies).
        var broadcasts = sandbox.Broadcasts;
        var perLearner = broadcasts.GroupBy(b => b.ChatId).ToDictionary(g => g.Key, g => g.Count());
        var none = ids.Count(id => !perLearner.ContainsKey(id));
        var twice = perLearner.Values.Count(n => n > 1);
        if (broadcasts.Count == 0)
        {
            log.WriteLine("fanout: no question reached the sandbox");
            return;
        }

        var sentAt = broadcasts.Select(b => b.SentAt).Order().ToList();
        var first = (sentAt[0] - due).TotalSeconds;
        var last = (sentAt[^1] - due).TotalSeconds;
        var lags = sentAt.Select(t => (t - due).TotalSeconds).ToList();
        var window = SendTimes.MaxInAnySecond(sentAt);
        var steady = sentAt.Count > 1 ? (sentAt.Count - 1) / (sentAt[^1] - sentAt[0]).TotalSeconds : 0;
        log.WriteLine($"fanout: {ids.Count} learners due at once; questions for {day:yyyy-MM-dd} in the sandbox: {sentAt.Count}");
        log.WriteLine($"fanout: learners with no question {none}, with two or more {twice}");
        log.WriteLine($"fanout: rate {sentAt.Count / last:F1} msg/s from the due second to the last question ({steady:F1}/s between the first and last send) vs limit {limit}/s");
        log.WriteLine(
            $"fanout: largest count in any 1 s window (sandbox) {window}; 429s: broadcast {sandbox.BroadcastLimited}, per chat {sandbox.PerChatLimited}; " +
            $"paid broadcasts {sandbox.PaidBroadcastsAccepted}; sends accepted {sandbox.SendsAccepted}");
        log.WriteLine($"fanout: time until the last learner had their question {last:F1} s; first question {first:F1} s; p50 {Loopback.Percentile(lags, 0.5):F1} s, p90 {Loopback.Percentile(lags, 0.9):F1} s");
        log.WriteLine($"fanout: questions per second from the due second: {Loopback.Timeline(sentAt, due, sentAt[^1])}");
        if (taps.Count > 0)
        {
            var acks = taps.Select(t => t.Milliseconds).Order().ToList();
            var replies = taps.Select(t => sandbox.MessagesIn(t.Id).Single(m => m.MessageId == t.MessageId).EditedAt is { } edited ? (edited - t.TappedAt).TotalMilliseconds : double.PositiveInfinity)
                .Order().ToList();
            log.WriteLine(
                $"fanout answers during the fan-out: {taps.Count} taps through the webhook; acknowledgement p50 {Loopback.Percentile(acks, 0.5):F0} ms, p99 {Loopback.Percentile(acks, 0.99):F0} ms, " +
                $"max {acks[^1]:F0} ms, non-200 {taps.Count(t => t.Status != 200)}; edit with the feedback in the sandbox after the tap p50 {Loopback.Percentile(replies, 0.5):F0} ms, " +
                $"p99 {Loopback.Percentile(replies, 0.99):F0} ms, never {replies.Count(double.IsPositiveInfinity)}");
        }
    }

    /// <summary>What the stored state says of the learners who got no question: recorded but unsent, or never recorded.</summary>
    private static async Task ReportStateAsync(TextWriter log, QuizTestCluster setup, SandboxState sandbox, IReadOnlyList<long> ids, DateOnly day)
    {
        var delivered = sandbox.Broadcasts.Select(b => b.ChatId).ToHashSet();
        var missing = ids.Where(id => !delivered.Contains(id)).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        var recorded = await Database.ScalarAsync<long>(setup.ConnectionString, """
            select count(*) from orleansstorage
            where serviceid = @s and graintypestring = 'learner' and grainidn1 = any(@ids)
              and convert_from(payloadbinary, 'UTF8')::jsonb->>'lastDeliveredDay' = @day
            """, ("s", setup.ServiceId), ("ids", missing), ("day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var owing = await Database.ScalarAsync<long>(setup.ConnectionString,
            "select count(*) from learner_outbox_pending where serviceid = @s and learner_id = any(@ids)", ("s", setup.ServiceId), ("ids", missing));
        log.WriteLine($"fanout: of the {missing.Length} learners with no question, the stored state has today's recorded for {recorded}, an outbox owing for {owing} (host logs: {Path.GetTempPath()}quiz-bench-host-*.log)");
    }

    private static async Task<double> SandboxCeilingAsync()
    {
        await using var app = SandboxApp.Build(new SandboxOptions { BotToken = LoopbackGateway.BotToken }, "http://127.0.0.1:0", [Loopback.LogLevelArgument]);
        await app.StartAsync();
        using var http = new HttpClient();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(LoopbackGateway.BotToken, Loopback.BaseUrl(app)), http);
        var sent = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async caller =>
        {
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                await bot.SendMessage(1_000_000 + (caller * 100_000) + i, "ceiling");
                Interlocked.Increment(ref sent);
            }
        }));
        return sent / 5.0;
    }

    private static async Task<long> DailySendsAsync(SiloProcess silo)
    {
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri(silo.Url, "/metrics"));
        return DailySends().Matches(scrape).Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^quiz_telegram_sends_total\{[^}]*lane=""daily""[^}]*outcome=""ok""[^}]*\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex DailySends();

    private sealed record AnswerTap(long Id, int MessageId, int Status, double Milliseconds, DateTimeOffset TappedAt);
}
