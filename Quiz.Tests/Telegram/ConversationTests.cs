using System.Net;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

[Collection(TelegramEdgeCollection.Name)]
public sealed class ConversationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TelegramEdgeFixture _edge;

    public ConversationTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    private SandboxState Sandbox => _edge.Sandbox;

    [Fact]
    public void GatewayRegistersItsWebhookWithTheSecretAndTheUpdatesItHandles()
    {
        var webhook = Sandbox.Webhook!;

        Assert.Equal(LoopbackGateway.WebhookSecret, webhook.SecretToken);
        Assert.Equal(["callback_query", "message", "my_chat_member"], webhook.AllowedUpdates.Order());
        Assert.Equal(17, webhook.MaxConnections);
        Assert.EndsWith("/telegram/webhook", webhook.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartQuestionAnswerFeedbackAndStats()
    {
        var user = TelegramEdgeFixture.NewUserId();

        Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/start"));
        var question = await QuestionMessageAsync(user);
        Assert.Contains("Welcome", Sandbox.MessagesIn(user)[0].Text, StringComparison.Ordinal);
        Assert.Equal(["A", "B", "C", "D", "⚑ Report this question"], question.Buttons.Select(b => b.Text));
        Assert.All(question.Buttons, b => Assert.True(System.Text.Encoding.UTF8.GetByteCount(b.CallbackData) <= 64));

        var (questionId, correct) = await CorrectButtonAsync(question);
        Assert.Equal(HttpStatusCode.OK, await Sandbox.TapAsync(user, question.MessageId, question.Buttons[correct].CallbackData));

        var feedback = await MessageAsync(user, m => m.Text.Contains("Correct!", StringComparison.Ordinal) && m.Text.Contains("Streak", StringComparison.Ordinal));
        Assert.Contains("1 day", feedback.Text, StringComparison.Ordinal);
        Assert.Contains("Next question", feedback.Text, StringComparison.Ordinal);
        var edited = Sandbox.MessagesIn(user).Single(m => m.MessageId == question.MessageId);
        Assert.True(edited.Edited);
        Assert.Empty(edited.Buttons);
        Assert.Contains("Your answer", edited.Text, StringComparison.Ordinal);
        Assert.Contains(Sandbox.CallbackAnswers, a => a.Text == "✅ Correct!");

        Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/stats"));
        var stats = await MessageAsync(user, m => m.Text.Contains("Your progress", StringComparison.Ordinal));
        Assert.Contains("Accuracy: 100% (1 of 1 answered)", stats.Text, StringComparison.Ordinal);
        Assert.Equal(1L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString,
            "select count(*) from answers where learner_id = @id and question_id = @q", ("id", user), ("q", questionId)));
    }

    [Fact]
    public async Task DuplicateUpdateHasItsEffectOnce()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        var question = await QuestionMessageAsync(user);
        await Sandbox.TapAsync(user, question.MessageId, question.Buttons[2].CallbackData);
        await MessageAsync(user, m => m.Text.Contains("Streak", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, await Sandbox.RedeliverLastUpdateAsync());
        Assert.Equal(HttpStatusCode.OK, await Sandbox.TapAsync(user, question.MessageId, question.Buttons[1].CallbackData));

        Assert.Single(Sandbox.MessagesIn(user), m => m.Text.Contains("Streak", StringComparison.Ordinal));
        Assert.Equal(1L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString, "select count(*) from answers where learner_id = @id", ("id", user)));
        // The redelivered update carries the same callback query, which Telegram lets a bot answer only once.
        Assert.Single(Sandbox.CallbackAnswers, a => a.UserId == user && a.Text == "You have already answered this question.");
    }

    [Fact]
    public async Task ForgedButtonCannotAnswerAnotherLearnersQuestion()
    {
        var alice = TelegramEdgeFixture.NewUserId();
        var mallory = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(alice, "/start");
        await Sandbox.SendTextAsync(mallory, "/start");
        var alicesQuestion = await QuestionMessageAsync(alice);
        var mallorysQuestion = await QuestionMessageAsync(mallory);

        var status = await Sandbox.TapAsync(mallory, mallorysQuestion.MessageId, alicesQuestion.Buttons[0].CallbackData);

        Assert.Equal(HttpStatusCode.OK, status);
        if (alicesQuestion.Buttons[0].CallbackData != mallorysQuestion.Buttons[0].CallbackData)
        {
            Assert.Contains(Sandbox.CallbackAnswers, a => a.Text == "This question has expired or is not yours to answer.");
            Assert.Equal(0L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString, "select count(*) from answers where learner_id in (@a, @m)", ("a", alice), ("m", mallory)));
        }

        var alicesStats = await _edge.Cluster.Grains.GetGrain<IUserGrain>(alice).GetStatsAsync();
        Assert.Equal(0, alicesStats.Answered);
    }

    [Fact]
    public async Task UnknownButtonDataGetsAToastAndChangesNothing()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        var question = await QuestionMessageAsync(user);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.TapAsync(user, question.MessageId, "x:not-ours"));

        await ClockExtensions.WaitUntilAsync(() => Sandbox.CallbackAnswers.Any(a => a.Text == "This button is not one of mine."), Patience, "the toast");
        Assert.Equal(0, (await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).Answered);
    }

    [Fact]
    public async Task TimeCommandSetsTheScheduleAndRejectsBadArguments()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        var grain = _edge.Cluster.Grains.GetGrain<IUserGrain>(user);

        await Sandbox.SendTextAsync(user, "/time 25:99");
        await MessageAsync(user, m => m.Text.Contains("could not read that time", StringComparison.Ordinal));
        await Sandbox.SendTextAsync(user, "/time 08:30 Mars/Olympus");
        await MessageAsync(user, m => m.Text.Contains("don't know the time zone", StringComparison.Ordinal) && m.Text.Contains("Mars/Olympus", StringComparison.Ordinal));
        Assert.Equal(("UTC", new TimeOnly(10, 0)), ((await grain.GetStatsAsync()).TimeZoneId, (await grain.GetStatsAsync()).DeliveryTime));

        await Sandbox.SendTextAsync(user, "/time 08:30 Europe/Berlin");

        var reply = await MessageAsync(user, m => m.Text.Contains("Done", StringComparison.Ordinal));
        Assert.Contains("08:30 (Europe/Berlin)", reply.Text, StringComparison.Ordinal);
        Assert.Equal(("Europe/Berlin", new TimeOnly(8, 30)), ((await grain.GetStatsAsync()).TimeZoneId, (await grain.GetStatsAsync()).DeliveryTime));
    }

    [Fact]
    public async Task HelpStopAndUnknownText()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        await Sandbox.SendTextAsync(user, "/help");
        await MessageAsync(user, m => m.Text.Contains("/time HH:MM", StringComparison.Ordinal));
        await Sandbox.SendTextAsync(user, "hello there");
        await MessageAsync(user, m => m.Text.Contains("I only understand commands", StringComparison.Ordinal));

        await Sandbox.SendTextAsync(user, "/stop");

        await MessageAsync(user, m => m.Text.Contains("Stopped", StringComparison.Ordinal));
        Assert.False((await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).IsSubscribed);
    }

    [Fact]
    public async Task FloodingChatIsAskedToSlowDownOnce()
    {
        var user = TelegramEdgeFixture.NewUserId();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/help"));
        }

        await MessageAsync(user, m => m.Text.Contains("Slow down", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(Sandbox.MessagesIn(user), m => m.Text.Contains("Slow down", StringComparison.Ordinal));
        Assert.Equal(6, Sandbox.MessagesIn(user).Count(m => m.Text.Contains("/time HH:MM", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BlockingTheBotDeactivatesTheLearnerAndRemovesTheReminder()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        await QuestionMessageAsync(user);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.BlockBotAsync(user));

        Assert.False((await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).IsActive);
        Assert.Equal(0L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString,
            "select count(*) from orleansreminderstable where serviceid = @s and grainid = @g",
            ("s", _edge.Cluster.ServiceId), ("g", ((Orleans.Runtime.GrainReference)_edge.Cluster.Grains.GetGrain<IUserGrain>(user)).GrainId.ToString())));
    }

    [Fact]
    public async Task ReportButtonRecordsTheReportAndThanksTheLearner()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        var question = await QuestionMessageAsync(user);
        var (questionId, _) = await CorrectButtonAsync(question);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.TapAsync(user, question.MessageId, question.Buttons[4].CallbackData));
        Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/report the options B and C both look right"));

        Assert.Contains(Sandbox.CallbackAnswers, a => a.Text == "Thanks: the question is reported and will be reviewed.");
        await MessageAsync(user, m => m.Text.Contains("Thanks: the question is reported", StringComparison.Ordinal));
        Assert.Equal("the options B and C both look right", await Database.ScalarAsync<string>(_edge.Cluster.ConnectionString,
            "select note from question_reports where learner_id = @id and question_id = @q", ("id", user), ("q", questionId)));
    }

    [Fact]
    public async Task ReportOfAQuestionNeverAskedChangesNothing()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        var question = await QuestionMessageAsync(user);

        await Sandbox.TapAsync(user, question.MessageId, ReportCallback.Format("zz-never-asked", new DateOnly(2026, 1, 1)));

        await ClockExtensions.WaitUntilAsync(() => Sandbox.CallbackAnswers.Any(a => a.Text?.StartsWith("There is no question of yours", StringComparison.Ordinal) == true), Patience, "the toast");
        Assert.Equal(0L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString, "select count(*) from question_reports where learner_id = @id", ("id", user)));
    }

    private async Task<SandboxMessage> QuestionMessageAsync(long chatId) =>
        await MessageAsync(chatId, m => IsQuestion(m));

    private async Task<SandboxMessage> MessageAsync(long chatId, Func<SandboxMessage, bool> match)
    {
        SandboxMessage? found = null;
        await ClockExtensions.WaitUntilAsync(() => (found = Sandbox.MessagesIn(chatId).LastOrDefault(match)) is not null, Patience, $"a matching message in chat {chatId}");
        return found!;
    }

    private async Task<(string QuestionId, int Correct)> CorrectButtonAsync(SandboxMessage question)
    {
        Assert.True(AnswerCallback.TryParse(question.Buttons[0].CallbackData, out var questionId, out _, out _));
        var correct = await Database.ScalarAsync<short>(_edge.Cluster.ConnectionString, "select correct_index from questions where id = @id", ("id", questionId));
        return (questionId, correct);
    }

    private static bool IsQuestion(SandboxMessage message) => message.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal));
}
