using System.Net;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

[Collection(TelegramEdgeCollection.Name)]
public sealed class SendingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TelegramEdgeFixture _edge;

    public SendingTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    private SandboxState Sandbox => _edge.Sandbox;

    [Fact]
    public async Task TooManyRequestsIsHonouredAndTheQuestionStillArrives()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var before = Sandbox.TooManyRequests;
        Sandbox.FailNextRequests(429, 1);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/start"));

        Assert.Equal(before + 1, Sandbox.TooManyRequests);
        Assert.Contains(Sandbox.MessagesIn(user), m => IsQuestion(m));
        Assert.Contains(Sandbox.MessagesIn(user), m => m.Text.Contains("Welcome", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerErrorsAreRetried()
    {
        var user = TelegramEdgeFixture.NewUserId();
        Sandbox.FailNextRequests(500, 2);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/start"));

        Assert.Contains(Sandbox.MessagesIn(user), m => IsQuestion(m));
    }

    [Fact]
    public async Task ForbiddenChatMarksTheLearnerInactiveAndIsNotRetried()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        var grain = _edge.Cluster.Grains.GetGrain<IUserGrain>(user);
        Sandbox.RespondToChat(user, 403, "Forbidden: bot was blocked by the user");
        var sendsBefore = Sandbox.SendsAccepted;
        _edge.Cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));

        var delivery = await grain.DeliverDueQuestionAsync();

        Assert.Equal(DeliveryStatus.Inactive, delivery.Status);
        Assert.False((await grain.GetStatsAsync()).IsActive);
        Assert.Equal(DeliveryStatus.Inactive, (await grain.DeliverDueQuestionAsync()).Status);
        Sandbox.RespondToChat(user, 0, "");
        Assert.Equal(sendsBefore, Sandbox.SendsAccepted);
    }

    [Fact]
    public async Task ClusterSendingStaysUnderTheConfiguredLimit()
    {
        var users = Enumerable.Range(0, 15).Select(_ => TelegramEdgeFixture.NewUserId()).ToList();

        var statuses = await Task.WhenAll(users.Select(u => Sandbox.SendTextAsync(u, "/start")));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(users, u => Assert.Contains(Sandbox.MessagesIn(u), m => IsQuestion(m)));
        Assert.InRange(Sandbox.MaxSendsInAnySecond, 1, TelegramEdgeFixture.MaxMessagesPerSecond);
    }

    [Fact]
    public async Task DatabaseFailureGives503AndTheRedeliveredAnswerCountsOnce()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        await ClockExtensions.WaitUntilAsync(() => Sandbox.MessagesIn(user).Any(m => IsQuestion(m)), Patience, "the question");
        var question = Sandbox.MessagesIn(user).Last(m => IsQuestion(m));
        var connection = _edge.Cluster.ConnectionString;
        await Database.ScalarAsync<int>(connection, $"""
            create or replace function fail_learner_{user}() returns trigger language plpgsql as $$
            begin raise exception 'database unavailable (test)'; end $$;
            create trigger fail_learner_{user} before insert on answers for each row when (new.learner_id = {user})
                execute function fail_learner_{user}();
            select 1
            """);

        var failed = await Sandbox.TapAsync(user, question.MessageId, question.Buttons[0].CallbackData);
        await Database.ScalarAsync<int>(connection, $"drop trigger fail_learner_{user} on answers; select 1");
        var redelivered = await Sandbox.RedeliverLastUpdateAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, redelivered);
        Assert.Equal(1L, await Database.ScalarAsync<long>(connection, "select count(*) from answers where learner_id = @id", ("id", user)));
        Assert.Equal(1, (await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).Answered);
        Assert.Single(Sandbox.MessagesIn(user), m => m.Text.Contains("Streak", StringComparison.Ordinal));
    }

    private static bool IsQuestion(SandboxMessage message) => message.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal));
}
