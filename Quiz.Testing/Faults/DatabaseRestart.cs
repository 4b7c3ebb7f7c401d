using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quiz.Sandbox;

namespace Quiz.Testing.Faults;

/// <summary>What a PostgreSQL restart under a stream of answers did.</summary>
/// <param name="Learners">Learners who tapped an answer while the database was down.</param>
/// <param name="AnsweredWhileDown">Webhook statuses of those taps.</param>
/// <param name="RedeliveriesAfterRestart">Updates that got a non-200 after the restart and came again (a pooled connection the restart cut fails once).</param>
/// <param name="CountedOnce">Learners whose answer counts exactly once, in their state and in the answer log.</param>
/// <param name="NewcomerServed">Whether a learner who starts after the restart gets their question, nothing restarted.</param>
public sealed record DatabaseRestartOutcome(int Learners, IReadOnlyList<HttpStatusCode> AnsweredWhileDown, int RedeliveriesAfterRestart, int CountedOnce, bool NewcomerServed)
{
    public bool Passed =>
        AnsweredWhileDown.All(s => s == HttpStatusCode.ServiceUnavailable) && CountedOnce == Learners && NewcomerServed;

    public override string ToString() =>
        $"{Learners} learners tapped while PostgreSQL was down: {AnsweredWhileDown.Count(s => s == HttpStatusCode.ServiceUnavailable)} got 503; " +
        $"after the restart {CountedOnce} of {Learners} answers count once, {RedeliveriesAfterRestart} redeliveries were needed, " +
        $"a new learner {(NewcomerServed ? "was" : "was not")} served; silos and gateway never restarted";
}

/// <summary>
/// PostgreSQL stopped and started again under the webhook, on a server of its own: learners tap while it is down,
/// Telegram (the sandbox) delivers each update again until it gets a 200.
/// </summary>
public static class DatabaseRestart
{
    private const int MaxRedeliveries = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<DatabaseRestartOutcome> RunAsync(int learners)
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var sandboxApp = SandboxApp.Build(new SandboxOptions { BotToken = LoopbackGateway.BotToken }, "http://127.0.0.1:0");
        await sandboxApp.StartAsync();
        var sandbox = sandboxApp.Services.GetRequiredService<SandboxState>();
        var sandboxUrl = SandboxApp.BaseUrl(sandboxApp).ToString().TrimEnd('/');
        await using var cluster = await QuizTestCluster.StartAsync(
            connectionString: postgres.ConnectionString,
            configuration: new Dictionary<string, string>
            {
                ["Telegram:BotToken"] = LoopbackGateway.BotToken,
                ["Telegram:ApiBaseUrl"] = sandboxUrl,
            });
        var gateway = LoopbackGateway.Build(cluster, new Uri($"http://127.0.0.1:{LoopbackGateway.FreePort()}"), sandboxUrl, out _);
        await gateway.StartAsync();
        try
        {
            await ClockExtensions.WaitUntilAsync(() => sandbox.Webhook is not null, Patience, "the gateway to register its webhook");
            var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
            var questions = new Dictionary<long, SandboxMessage>();
            foreach (var id in ids)
            {
                await StartAsync(sandbox, id);
                await ClockExtensions.WaitUntilAsync(() => QuestionIn(sandbox, id) is not null, Patience, $"learner {id}'s question");
                questions[id] = QuestionIn(sandbox, id)!;
            }

            await postgres.StopAsync();
            var whileDown = new List<HttpStatusCode>();
            foreach (var id in ids)
            {
                whileDown.Add(await sandbox.TapAsync(id, questions[id].MessageId, questions[id].Buttons[0].CallbackData));
            }

            await postgres.StartAgainAsync();
            var redeliveries = 0;
            foreach (var id in ids)
            {
                // The learner's tap comes again: Telegram keeps an update until it is acknowledged.
                var status = await sandbox.TapAsync(id, questions[id].MessageId, questions[id].Buttons[0].CallbackData);
                for (var again = 0; status != HttpStatusCode.OK && again < MaxRedeliveries; again++)
                {
                    redeliveries++;
                    await Task.Delay(TimeSpan.FromSeconds(again));
                    status = await sandbox.RedeliverLastUpdateAsync();
                }
            }

            // The same update once more, after its 200: it must not count twice.
            await sandbox.RedeliverLastUpdateAsync();
            var unpooled = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Pooling = false }.ConnectionString;
            var countedOnce = 0;
            foreach (var id in ids)
            {
                var answered = (await cluster.Grains.GetGrain<IUserGrain>(id).GetStatsAsync()).Answered;
                var logged = await Database.ScalarAsync<long>(unpooled, "select count(*) from answers where learner_id = @id", ("id", id));
                countedOnce += answered == 1 && logged == 1 ? 1 : 0;
            }

            var newcomer = LearnerIds.Next();
            await StartAsync(sandbox, newcomer);
            var served = await WaitAsync(() => QuestionIn(sandbox, newcomer) is not null);
            return new DatabaseRestartOutcome(learners, whileDown, redeliveries, countedOnce, served);
        }
        finally
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            await sandboxApp.StopAsync();
        }
    }

    private static async Task StartAsync(SandboxState sandbox, long id)
    {
        var status = await sandbox.SendTextAsync(id, "/start");
        for (var again = 0; status != HttpStatusCode.OK && again < MaxRedeliveries; again++)
        {
            await Task.Delay(TimeSpan.FromSeconds(again));
            status = await sandbox.RedeliverLastUpdateAsync();
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        try
        {
            await ClockExtensions.WaitUntilAsync(condition, Patience, "a question");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static SandboxMessage? QuestionIn(SandboxState sandbox, long id) =>
        sandbox.MessagesIn(id).FirstOrDefault(m => m.Buttons.Count >= 4 && AnswerCallback.TryParse(m.Buttons[0].CallbackData, out _, out _, out _));
}
