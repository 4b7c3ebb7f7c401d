using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>
/// The cluster-wide broadcast budget with clusters of their own, sending through the real Telegram client to a sandbox
/// that answers 429 above its broadcast limits, as Telegram does.
/// Run alone: on a shared 2-core machine other tests' load delays requests by more than the budget's margin (about 30 ms).
/// </summary>
[Collection(BroadcastBudgetCollection.Name)]
public sealed class BroadcastBudgetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SilosJoiningAndLeavingNeverTakeMoreThanTheBudget()
    {
        const int limit = 10;
        await using var sandboxApp = await StartSandboxAsync(new SandboxOptions { BotToken = LoopbackGateway.BotToken, MaxMessagesPerSecond = limit, ReplyWindowSeconds = 1 });
        var sandbox = sandboxApp.Services.GetRequiredService<SandboxState>();
        var (serviceId, services, learners) = await SubscribeAsync(60);
        await using var cluster = await QuizTestCluster.StartAsync(silos: 2, serviceId, services, Configuration(sandboxApp, limit, paid: false));
        var day = DateOnly.FromDateTime(cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0)).UtcDateTime);

        await Task.WhenAll(learners.Select(id => cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync()));
        var joined = await cluster.Cluster.StartAdditionalSiloAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.Cluster.StopSiloAsync(cluster.Cluster.SecondarySilos[0]);
        await ClockExtensions.WaitUntilAsync(() => learners.All(id => DailyQuestions(sandbox, id, day) >= 1), Patience, "every learner's daily question");
        await cluster.Cluster.StopSiloAsync(joined);

        // Three silos in this one process share its pauses (a silo starting, another stopping, the collector), and a
        // pause can hold one send per silo past the budget's 40 ms margin: at most one refusal, which is honoured. The
        // fan-out benchmark, whose silos are processes of their own, measures the real count (docs/benchmarks.md).
        Assert.InRange(sandbox.BroadcastLimited, 0, 1);
        Assert.InRange(SendTimes.MaxInAnySecond(sandbox.BroadcastTimes), 1, limit + 1);
        // A silo that stops while a send is on its way may leave its receipt unsaved: at most one duplicate per stop.
        Assert.True(learners.Count(id => DailyQuestions(sandbox, id, day) > 1) <= 2, "more than one duplicate per stopped silo");
    }

    [Fact]
    public async Task UnevenPlacementStillUsesTheWholePaidBudget()
    {
        const int limit = 40;
        await using var sandboxApp = await StartSandboxAsync(new SandboxOptions
        {
            BotToken = LoopbackGateway.BotToken, MaxMessagesPerSecond = 30, MaxPaidMessagesPerSecond = limit, ReplyWindowSeconds = 1,
        });
        var sandbox = sandboxApp.Services.GetRequiredService<SandboxState>();
        var (serviceId, services, learners) = await SubscribeAsync(200);
        await using var cluster = await QuizTestCluster.StartAsync(silos: 1, serviceId, services, Configuration(sandboxApp, limit, paid: true));
        // Every learner's grain lives on the first silo; the second joins empty-handed.
        await Task.WhenAll(learners.Select(id => cluster.Grains.GetGrain<IUserGrain>(id).GetStatsAsync()));
        await cluster.Cluster.StartAdditionalSiloAsync();
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();
        var day = DateOnly.FromDateTime(cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0)).UtcDateTime);
        var broadcastsBefore = sandbox.BroadcastTimes.Count;

        await Task.WhenAll(learners.Select(id => cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync()));
        await ClockExtensions.WaitUntilAsync(() => learners.All(id => DailyQuestions(sandbox, id, day) >= 1), Patience, "every learner's daily question");

        var times = sandbox.BroadcastTimes.Skip(broadcastsBefore).ToList();
        var rate = (times.Count - 1) / (times[^1] - times[0]).TotalSeconds;
        Assert.Equal(0, sandbox.BroadcastLimited);
        Assert.InRange(SendTimes.MaxInAnySecond(times), 1, limit);
        Assert.True(rate >= 0.8 * limit, $"the daily questions went out at {rate:F1}/s, under 80 % of the {limit}/s budget");
        Assert.All(learners, id => Assert.Equal(1, DailyQuestions(sandbox, id, day)));
        Assert.All(learners, id => Assert.All(sandbox.MessagesIn(id), m => Assert.True(m.PaidBroadcast)));
    }

    private static async Task<WebApplication> StartSandboxAsync(SandboxOptions options)
    {
        var app = SandboxApp.Build(options, "http://127.0.0.1:0");
        await app.StartAsync();
        return app;
    }

    private static Dictionary<string, string> Configuration(WebApplication sandbox, int limit, bool paid) => new()
    {
        ["Telegram:BotToken"] = LoopbackGateway.BotToken,
        ["Telegram:ApiBaseUrl"] = SandboxApp.BaseUrl(sandbox).ToString().TrimEnd('/'),
        ["Telegram:BroadcastPerSecond"] = limit.ToString(CultureInfo.InvariantCulture),
        ["Telegram:PaidBroadcast"] = paid ? "true" : "false",
    };

    /// <summary>
    /// Setup off Telegram: subscribes learners in a cluster of its own that records what it would send, and stops it,
    /// so that what the measured cluster sends to the sandbox is the daily fan-out alone.
    /// </summary>
    private static async Task<(string ServiceId, TestClusterServices Services, List<long> Learners)> SubscribeAsync(int count)
    {
        var setup = await QuizTestCluster.StartAsync();
        setup.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var learners = Enumerable.Range(0, count).Select(_ => ClusterFixture.NewLearnerId()).ToList();
        await Task.WhenAll(learners.Select(id => setup.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"))));
        await ClockExtensions.WaitUntilAsync(() => learners.All(id => setup.Services.Sender.SentTo(id).Count == 1), Patience, "every first question");
        await setup.DisposeAsync();
        // Stopping saved every send receipt: nothing is owed that the measured cluster would send again.
        Assert.Equal(0L, await Database.ScalarAsync<long>(setup.ConnectionString,
            "select count(*) from learner_outbox_pending where serviceid = @s", ("s", setup.ServiceId)));
        return (setup.ServiceId, setup.Services, learners);
    }

    private static int DailyQuestions(SandboxState sandbox, long id, DateOnly day) =>
        sandbox.MessagesIn(id).Count(m => IsDailyQuestion(m, day));

    private static bool IsDailyQuestion(SandboxMessage message, DateOnly day) =>
        message.Buttons.Any(b => AnswerCallback.TryParse(b.CallbackData, out _, out var d, out _) && d == day);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BroadcastBudgetCollection
{
    public const string Name = "broadcast budget";
}
