using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Quiz.Sandbox;

namespace Quiz.Testing.Faults;

/// <summary>What a daily fan-out met with a storm of 429s and a tenth of the learners blocking the bot did.</summary>
public sealed record TelegramStormsOutcome(int Learners, int Blocked, int TooManyRequests, int WithTheirQuestion, int WithTwo, int BlockedStillActive, int SendsRefusedAsBlocked)
{
    public bool Passed => WithTheirQuestion == Learners - Blocked && WithTwo == 0 && BlockedStillActive == 0 && SendsRefusedAsBlocked <= Blocked;

    public override string ToString() =>
        $"{Learners} learners due at once; {TooManyRequests} sends answered 429 (retry_after 1) and {Blocked} learners blocked the bot (403); " +
        $"{WithTheirQuestion} of {Learners - Blocked} reachable learners have their question, {WithTwo} twice; blocked learners still active {BlockedStillActive}; " +
        $"sends the sandbox refused as blocked {SendsRefusedAsBlocked} (one each at most: a 403 ends the learner's deliveries)";
}

/// <summary>
/// The daily fan-out of a TestCluster silo through the real Telegram client to the sandbox, with a storm of 429s
/// (every one must be honoured and the question sent later, once) and a tenth of the learners answering 403 (each
/// marked unreachable after one refusal, never retried). What it shortcuts: the fan-out is the grains' due delivery
/// called for every learner at once, as their reminders' ticks call it, rather than the reminders themselves.
/// </summary>
public static class TelegramStorms
{
    public static async Task<TelegramStormsOutcome> RunAsync(int learners)
    {
        var (serviceId, services, ids) = await SubscribeOffTelegramAsync(learners);
        await using var sandboxApp = SandboxApp.Build(new SandboxOptions { BotToken = LoopbackGateway.BotToken, MaxMessagesPerSecond = 30 }, "http://127.0.0.1:0");
        await sandboxApp.StartAsync();
        var sandbox = sandboxApp.Services.GetRequiredService<SandboxState>();
        await using var cluster = await QuizTestCluster.StartAsync(serviceId: serviceId, services: services, configuration: new Dictionary<string, string>
        {
            ["Telegram:BotToken"] = LoopbackGateway.BotToken,
            ["Telegram:ApiBaseUrl"] = SandboxApp.BaseUrl(sandboxApp).ToString().TrimEnd('/'),
            ["Telegram:BroadcastPerSecond"] = "25",
        });
        var blocked = ids.Where((_, i) => i % 10 == 0).ToHashSet();
        foreach (var id in blocked)
        {
            sandbox.RespondToChat(id, 403, SandboxState.BlockedDescription);
        }

        var storm = Math.Max(1, learners / 4);
        sandbox.FailNextRequests(429, storm);
        var day = DateOnly.FromDateTime(cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0)).UtcDateTime);

        await Task.WhenAll(ids.Select(id => cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync()));
        var reachable = ids.Where(id => !blocked.Contains(id)).ToList();
        try
        {
            await ClockExtensions.WaitUntilAsync(
                () => reachable.All(id => DailyQuestions(sandbox, id, day) >= 1), TimeSpan.FromSeconds(120 + (2.0 * (learners + storm))), "every reachable learner's question");
        }
        catch (TimeoutException)
        {
            // Counted below.
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var stillActive = 0;
        foreach (var id in blocked)
        {
            stillActive += (await cluster.Grains.GetGrain<IUserGrain>(id).GetStatsAsync()).IsActive ? 1 : 0;
        }

        var refusedAsBlocked = blocked.Sum(id => sandbox.RefusedSendsTo(id));
        return new TelegramStormsOutcome(
            learners,
            blocked.Count,
            storm,
            reachable.Count(id => DailyQuestions(sandbox, id, day) >= 1),
            reachable.Count(id => DailyQuestions(sandbox, id, day) > 1),
            stillActive,
            refusedAsBlocked);
    }

    /// <summary>Subscribes in a cluster of its own that records what it would send, and stops it: the sandbox then sees the fan-out alone.</summary>
    private static async Task<(string ServiceId, TestClusterServices Services, List<long> Ids)> SubscribeOffTelegramAsync(int learners)
    {
        await using var setup = await QuizTestCluster.StartAsync();
        setup.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
        await Task.WhenAll(ids.Select(id => setup.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"))));
        await ClockExtensions.WaitUntilAsync(() => ids.All(id => setup.Services.Sender.SentTo(id).Count == 1), TimeSpan.FromSeconds(60), "every first question");
        return (setup.ServiceId, setup.Services, ids);
    }

    private static int DailyQuestions(SandboxState sandbox, long id, DateOnly day) =>
        sandbox.MessagesIn(id).Count(m => m.Buttons.Any(b => AnswerCallback.TryParse(b.CallbackData, out _, out var d, out _) && d == day));
}
