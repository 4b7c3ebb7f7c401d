using System.Net;
using Quiz.Conversation;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>The conversation in each language the bot speaks, and the settings commands, through the real client and gateway.</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class LanguageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TelegramEdgeFixture _edge;

    public LanguageTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    private SandboxState Sandbox => _edge.Sandbox;

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("es-419")]
    public async Task TheBotSpeaksTheLearnersTelegramLanguageFromStartToStats(string telegramLanguage)
    {
        var texts = BotTexts.For(telegramLanguage);
        var user = TelegramEdgeFixture.NewUserId();
        Sandbox.SetLanguage(user, telegramLanguage);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.SendTextAsync(user, "/start"));
        var question = await MessageAsync(user, m => m.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal)));
        Assert.Equal(texts.Welcome(isNewLearner: true, questionFollows: true), Sandbox.MessagesIn(user)[0].Text);
        Assert.Equal(texts.ReportButton, question.Buttons[^1].Text);
        Assert.Contains(texts.LevelName(Level.Intermediate), question.Text, StringComparison.Ordinal);

        Assert.True(AnswerCallback.TryParse(question.Buttons[0].CallbackData, out var questionId, out _, out _));
        var correct = await Database.ScalarAsync<short>(_edge.Cluster.ConnectionString, "select correct_index from questions where id = @id", ("id", questionId));
        await Sandbox.TapAsync(user, question.MessageId, question.Buttons[correct].CallbackData);
        var feedback = await MessageAsync(user, m => m.MessageId == question.MessageId && m.Edited);
        Assert.Contains(texts.Days(1), feedback.Text, StringComparison.Ordinal);
        Assert.Contains(Sandbox.CallbackAnswers, a => a.Text == texts.Toast(new AnswerOutcome(AnswerStatus.Counted, null, 0, true, 1, Level.Intermediate, LevelChange.None, default)));

        await Sandbox.SendTextAsync(user, "/help");
        await MessageAsync(user, m => m.Text == texts.Help);
        await Sandbox.SendTextAsync(user, "/stats");
        var title = texts.Stats(new LearnerStats(true, true, Level.Beginner, 0, 0, 0, 0, 0, [], "UTC", default, null)).Split('\n')[0];
        var stats = await MessageAsync(user, m => m.Text.StartsWith(title, StringComparison.Ordinal));
        Assert.Contains(texts.Days(1), stats.Text, StringComparison.Ordinal);
        var chart = await MessageAsync(user, m => m.Photo is not null);
        Assert.Equal(texts.StatsChartCaption, chart.Text);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(chart.Photo!, 1, 3));
    }

    [Fact]
    public async Task LangOffersTheLanguagesAndATapSwitchesTheBotsLanguage()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");
        await Sandbox.SendTextAsync(user, "/lang");
        var choice = await MessageAsync(user, m => m.Text == BotTexts.For("en").LanguageChoice);
        Assert.Equal(["l:en", "l:ru", "l:es"], choice.Buttons.Select(b => b.CallbackData));
        Assert.Equal(["English", "Русский", "Español"], choice.Buttons.Select(b => b.Text));

        Assert.Equal(HttpStatusCode.OK, await Sandbox.TapAsync(user, choice.MessageId, "l:ru"));

        var russian = BotTexts.For("ru");
        await MessageAsync(user, m => m.MessageId == choice.MessageId && m.Text == russian.LanguageSet && m.Buttons.Count == 0);
        await Sandbox.SendTextAsync(user, "/help");
        await MessageAsync(user, m => m.Text == russian.Help);
    }

    [Fact]
    public async Task LangWithALanguageTheBotDoesNotSpeakChangesNothing()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await Sandbox.SendTextAsync(user, "/start");

        await Sandbox.SendTextAsync(user, "/lang <xx>");
        await Sandbox.SendTextAsync(user, "/help");

        await MessageAsync(user, m => m.Text == BotTexts.For("en").UnknownLanguage("<xx>"));
        await MessageAsync(user, m => m.Text == BotTexts.For("en").Help);
    }

    [Fact]
    public async Task TopicsKeyboardSwitchesTopicsOffButKeepsOneOn()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var texts = BotTexts.For("en");
        await Sandbox.SendTextAsync(user, "/start");
        await Sandbox.SendTextAsync(user, "/topics");
        var keyboard = await MessageAsync(user, m => m.Text == texts.TopicsChoice);
        Assert.Equal(Topics.All.Count, keyboard.Buttons.Count);
        Assert.All(keyboard.Buttons, b => Assert.StartsWith("✅", b.Text, StringComparison.Ordinal));

        for (var i = 1; i < Topics.All.Count; i++)
        {
            await Sandbox.TapAsync(user, keyboard.MessageId, SettingsCallback.Topic(i));
            var topic = i;
            await MessageAsync(user, m => m.MessageId == keyboard.MessageId && m.Buttons.Count(b => b.Text.StartsWith('⬜')) == topic);
        }

        await Sandbox.TapAsync(user, keyboard.MessageId, SettingsCallback.Topic(0));

        await ClockExtensions.WaitUntilAsync(() => Sandbox.CallbackAnswers.Any(a => a.Text == texts.LastTopicStaysOn), Patience, "the last-topic toast");
        var kept = Sandbox.MessagesIn(user).Single(m => m.MessageId == keyboard.MessageId);
        Assert.StartsWith("✅", kept.Buttons[0].Text, StringComparison.Ordinal);
        Assert.Equal(Topics.All.Count - 1, kept.Buttons.Count(b => b.Text.StartsWith('⬜')));
    }

    [Fact]
    public async Task NudgeTurnsTheEveningReminderOnAndOffAndRejectsBadArguments()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var texts = BotTexts.For("en");
        await Sandbox.SendTextAsync(user, "/start");

        await Sandbox.SendTextAsync(user, "/nudge sometimes");
        await MessageAsync(user, m => m.Text == texts.BadNudgeCommand);
        Assert.Equal(0L, await NudgeRemindersAsync(user));

        await Sandbox.SendTextAsync(user, "/nudge on");
        await MessageAsync(user, m => m.Text == texts.NudgeOn);
        Assert.Equal(1L, await NudgeRemindersAsync(user));

        await Sandbox.SendTextAsync(user, "/nudge off");
        await MessageAsync(user, m => m.Text == texts.NudgeOff);
        Assert.Equal(0L, await NudgeRemindersAsync(user));
    }

    private Task<long> NudgeRemindersAsync(long user) => Database.ScalarAsync<long>(_edge.Cluster.ConnectionString,
        "select count(*) from orleansreminderstable where serviceid = @s and grainid = @g and remindername = @r",
        ("s", _edge.Cluster.ServiceId),
        ("g", ((Orleans.Runtime.GrainReference)_edge.Cluster.Grains.GetGrain<IUserGrain>(user)).GrainId.ToString()),
        ("r", Quiz.Learners.UserGrain.NudgeReminder));

    private async Task<SandboxMessage> MessageAsync(long chatId, Func<SandboxMessage, bool> match)
    {
        SandboxMessage? found = null;
        await ClockExtensions.WaitUntilAsync(() => (found = Sandbox.MessagesIn(chatId).LastOrDefault(match)) is not null, Patience, $"a matching message in chat {chatId}");
        return found!;
    }
}
