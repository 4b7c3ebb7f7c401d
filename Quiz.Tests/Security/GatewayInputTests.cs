using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quiz.Gateway;
using Quiz.Tests.Infrastructure;
using Quiz.Tests.Telegram;

namespace Quiz.Tests.Security;

/// <summary>Issue 13's review of the gateway: what a sender or a careless operator controls cannot break it.</summary>
public sealed class GatewayInputTests
{
    [Theory]
    [InlineData(4, "abc😀", "abc")]
    [InlineData(5, "abc😀", "abc😀")]
    [InlineData(3, "ab👩‍💻", "ab")]
    [InlineData(10, "a\u0000b\tc\nd", "abc\nd")]
    public void ANoteIsCutBetweenTextElementsNeverInsideASurrogatePair(int maxLength, string text, string expected)
    {
        var note = UserText.Note(text, maxLength);

        Assert.Equal(expected, note);
        Assert.True(note.Length <= maxLength);
        Assert.Equal(note, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(note)));
    }

    [Fact]
    public void FloodCountsOfChatsGoneQuietAreForgottenAfterAWindow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var flood = new ChatFloodControl(Options.Create(new GatewayOptions { FloodLimit = 2, FloodWindow = TimeSpan.FromSeconds(10) }), clock);
        for (long chat = 1; chat <= 1000; chat++)
        {
            flood.Check(chat);
        }

        Assert.Equal(1000, flood.ChatsCounted);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(FloodVerdict.Allow, flood.Check(5000));

        Assert.Equal(1, flood.ChatsCounted);
        Assert.Equal(FloodVerdict.Allow, flood.Check(5000));
        Assert.Equal(FloodVerdict.SlowDown, flood.Check(5000));
        Assert.Equal(FloodVerdict.Drop, flood.Check(5000));
    }

    [Theory]
    [InlineData("change-me")]
    [InlineData("a")]
    [InlineData("3f9c2a7e51d84b06a1e7c3d95f2b8e4")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("your-webhook-token-goes-here-0123456789")]
    [InlineData("change_me_to_a_long_random_value_0123456789")]
    public void AShortOrExampleWebhookSecretStopsStartUpNamingTheSetting(string secret)
    {
        var result = new GatewayOptionsValidator().Validate(null, WithSecret(secret));

        Assert.True(result.Failed);
        Assert.Contains("Telegram:WebhookSecret", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(secret.Length < 8 || !result.FailureMessage.Contains(secret, StringComparison.Ordinal), "the message echoes the secret");
    }

    [Fact]
    public void ALongRandomWebhookSecretIsTaken() =>
        Assert.True(new GatewayOptionsValidator().Validate(null, WithSecret("3f9c2a7e51d84b06a1e7c3d95f2b8e40")).Succeeded);

    private static GatewayOptions WithSecret(string secret) => new()
    {
        BotToken = LoopbackGateway.BotToken,
        WebhookSecret = secret,
        WebhookUrl = "https://quiz.example.com/telegram/webhook",
    };
}

/// <summary>The same through the whole edge: the sandbox, the gateway and a silo.</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class EdgeInputTests
{
    private readonly TelegramEdgeFixture _edge;

    public EdgeInputTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    [Fact]
    public async Task TapsHaveAFloodLimitOfTheirOwnAndOverItGetAToastNotAMessage()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await _edge.Sandbox.SendTextAsync(user, "/start");
        await ClockExtensions.WaitUntilAsync(() => _edge.Sandbox.MessagesIn(user).Any(m => m.Buttons.Count > 0), TimeSpan.FromSeconds(30), "the question");
        var question = _edge.Sandbox.MessagesIn(user).First(m => m.Buttons.Count > 0);
        var messagesBefore = _edge.Sandbox.MessagesIn(user).Count;

        // Twenty taps are what a chat may send in ten seconds; the 21st is told to slow down, the 22nd dropped.
        for (var tap = 0; tap < 22; tap++)
        {
            Assert.Equal(HttpStatusCode.OK, await _edge.Sandbox.TapAsync(user, question.MessageId, question.Buttons[0].CallbackData));
        }

        // An answer's toast rides on the webhook's 200; the slow-down toast goes out through the silo's sender, a moment later.
        List<string?> Toasts() => [.. _edge.Sandbox.CallbackAnswers.Where(a => a.UserId == user).Select(a => a.Text)];
        await ClockExtensions.WaitUntilAsync(() => Toasts().Any(t => t!.StartsWith("🐢", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the slow-down toast");
        var toasts = Toasts();
        Assert.Equal(Quiz.Conversation.BotTexts.For("en").SlowDownToast, Assert.Single(toasts, t => t!.StartsWith("🐢", StringComparison.Ordinal)));
        Assert.Equal(21, toasts.Count);
        // The taps did not use up the chat's commands.
        Assert.Equal(HttpStatusCode.OK, await _edge.Sandbox.SendTextAsync(user, "/help"));
        await ClockExtensions.WaitUntilAsync(() => _edge.Sandbox.MessagesIn(user).Any(m => m.Text == Quiz.Conversation.BotTexts.For("en").Help), TimeSpan.FromSeconds(30), "the help");
        Assert.Equal(1L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString, "select count(*) from answers where learner_id = @id", ("id", user)));
        Assert.DoesNotContain(_edge.Sandbox.MessagesIn(user).Skip(messagesBefore), m => m.Text.StartsWith("🐢", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReportNoteEndingInAnEmojiAtTheLimitIsStoredWithoutItsHalf()
    {
        var user = TelegramEdgeFixture.NewUserId();
        await _edge.Sandbox.SendTextAsync(user, "/start");
        await ClockExtensions.WaitUntilAsync(() => _edge.Sandbox.MessagesIn(user).Any(m => m.Buttons.Count > 0), TimeSpan.FromSeconds(30), "the question");

        var status = await _edge.Sandbox.SendTextAsync(user, "/report " + new string('x', 499) + "😀 more");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new string('x', 499), await Database.ScalarAsync<string>(_edge.Cluster.ConnectionString,
            "select note from question_reports where learner_id = @id", ("id", user)));
    }
}
