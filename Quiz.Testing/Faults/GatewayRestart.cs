using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Quiz.Sandbox;

namespace Quiz.Testing.Faults;

/// <summary>What killing the gateway process under a stream of answers, and starting it again, did.</summary>
/// <param name="Learners">Learners who each tapped one answer during the run.</param>
/// <param name="AcknowledgedBeforeKill">Taps acknowledged with 200 before the kill.</param>
/// <param name="Redeliveries">Deliveries the sandbox made again because the webhook did not acknowledge them (as Telegram does).</param>
/// <param name="NotAcknowledged">Taps that never got a 200, however often they came again.</param>
/// <param name="CountedOnce">Learners whose answer counts exactly once, in their state and in the answer log.</param>
/// <param name="Down">From the kill until the new gateway process answered its liveness probe.</param>
public sealed record GatewayRestartOutcome(int Learners, int AcknowledgedBeforeKill, int Redeliveries, int NotAcknowledged, int CountedOnce, TimeSpan Down)
{
    /// <summary>Every answer counts once, and the kill did cut deliveries (otherwise nothing was tried).</summary>
    public bool Passed => NotAcknowledged == 0 && CountedOnce == Learners && Redeliveries > 0 && AcknowledgedBeforeKill > 0;

    public override string ToString() =>
        $"{Learners} learners tapped an answer each, 8 at a time; the gateway process was killed (SIGKILL) after {AcknowledgedBeforeKill} acknowledgements " +
        $"and answered again {Down.TotalSeconds:F1} s later; {Redeliveries} deliveries came again; never acknowledged {NotAcknowledged}; " +
        $"answers counted once {CountedOnce} of {Learners}";
}

/// <summary>
/// The gateway process (<c>Quiz.Gateway.dll</c>) killed with SIGKILL while learners answer through it, then started
/// again on the same address, as Kubernetes replaces a crashed pod. The sandbox delivers each update again until it is
/// acknowledged, as Telegram does; a tap the dead gateway had already handed to the grain comes again with the same
/// update_id and must not count twice.
/// </summary>
public static class GatewayRestart
{
    private const int InFlight = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<GatewayRestartOutcome> RunAsync(int learners)
    {
        await using var sandboxApp = SandboxApp.Build(
            new SandboxOptions { BotToken = LoopbackGateway.BotToken, RedeliverFor = TimeSpan.FromMinutes(2) }, "http://127.0.0.1:0");
        await sandboxApp.StartAsync();
        var sandbox = sandboxApp.Services.GetRequiredService<SandboxState>();
        var sandboxUrl = SandboxApp.BaseUrl(sandboxApp).ToString().TrimEnd('/');
        await using var cluster = await QuizTestCluster.StartAsync(configuration: new Dictionary<string, string>
        {
            ["Telegram:BotToken"] = LoopbackGateway.BotToken,
            ["Telegram:ApiBaseUrl"] = sandboxUrl,
        });
        var port = LoopbackGateway.FreePort();
        var gateway = await StartGatewayAsync(cluster, sandboxUrl, port);
        try
        {
            await ClockExtensions.WaitUntilAsync(() => sandbox.Webhook is not null, Patience, "the gateway to register its webhook");
            var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
            var questions = new ConcurrentDictionary<long, SandboxMessage>();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (id, _) =>
            {
                await cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
                await ClockExtensions.WaitUntilAsync(() => QuestionIn(sandbox, id) is not null, Patience, $"learner {id}'s question");
                questions[id] = QuestionIn(sandbox, id)!;
            });

            var acknowledged = 0;
            var statuses = new ConcurrentBag<HttpStatusCode>();
            var killAfter = Math.Max(1, learners / 3);
            Task<(int Before, TimeSpan Down)>? restart = null;
            async Task<(int, TimeSpan)> RestartAsync()
            {
                gateway.Kill();
                var before = Volatile.Read(ref acknowledged);
                var killedAt = DateTimeOffset.UtcNow;
                await gateway.DisposeAsync();
                gateway = await StartGatewayAsync(cluster, sandboxUrl, port);
                return (before, DateTimeOffset.UtcNow - killedAt);
            }

            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (id, ct) =>
            {
                var question = questions[id];
                HttpStatusCode status;
                try
                {
                    status = await sandbox.TapAsync(id, question.MessageId, question.Buttons[(int)(id % 4)].CallbackData, ct);
                }
                catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
                {
                    status = HttpStatusCode.BadGateway;
                }

                statuses.Add(status);
                // The kill comes from the stream itself, while the other taps are in flight.
                if (status == HttpStatusCode.OK && Interlocked.Increment(ref acknowledged) == killAfter)
                {
                    restart = RestartAsync();
                }
            });
            var (acknowledgedBeforeKill, down) = await (restart ?? throw new InvalidOperationException($"Only {acknowledged} of {learners} taps were acknowledged before the kill."));

            var countedOnce = 0;
            foreach (var id in ids)
            {
                var answered = (await cluster.Grains.GetGrain<IUserGrain>(id).GetStatsAsync()).Answered;
                var logged = await Database.ScalarAsync<long>(cluster.ConnectionString, "select count(*) from answers where learner_id = @id", ("id", id));
                countedOnce += answered == 1 && logged == 1 ? 1 : 0;
            }

            return new GatewayRestartOutcome(
                learners, acknowledgedBeforeKill, sandbox.Redeliveries, statuses.Count(s => s != HttpStatusCode.OK), countedOnce, down);
        }
        finally
        {
            await gateway.DisposeAsync();
            await sandboxApp.StopAsync();
        }
    }

    private static async Task<SiloProcess> StartGatewayAsync(QuizTestCluster cluster, string sandboxUrl, int port)
    {
        var gateway = SiloProcess.Start("Quiz.Gateway", port, new Dictionary<string, string>
        {
            ["ConnectionStrings__Quiz"] = cluster.ConnectionString,
            ["Orleans__ClusterId"] = cluster.Cluster.Options.ClusterId,
            ["Orleans__ServiceId"] = cluster.ServiceId,
            ["Telegram__BotToken"] = LoopbackGateway.BotToken,
            ["Telegram__ApiBaseUrl"] = sandboxUrl,
            ["Telegram__WebhookSecret"] = LoopbackGateway.WebhookSecret,
            ["Telegram__WebhookUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/telegram/webhook"),
            ["Logging__LogLevel__Default"] = "Warning",
        });
        try
        {
            await gateway.WaitUntilLiveAsync(Patience);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private static SandboxMessage? QuestionIn(SandboxState sandbox, long id) =>
        sandbox.MessagesIn(id).FirstOrDefault(m => m.Buttons.Count >= 4 && AnswerCallback.TryParse(m.Buttons[0].CallbackData, out _, out _, out _));
}
