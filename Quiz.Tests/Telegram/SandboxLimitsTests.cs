using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Quiz.Sandbox;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Quiz.Tests.Telegram;

/// <summary>
/// The sandbox's copy of Telegram's sending limits, through the real Telegram.Bot client. Each test starts its own
/// sandbox on a frozen <see cref="FakeTimeProvider"/>, so every call lands in the same instant and the windows move
/// only when the test advances the clock.
/// </summary>
public sealed class SandboxLimitsTests
{
    private const string BotToken = "123456:limits-token";

    [Fact]
    public async Task PhotoIsAcceptedAsAPngWithItsCaptionAndRefusedWhenItIsNoImage()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken });
        var png = Quiz.Silo.Charts.ProgressChart.Render(
            [new Quiz.Progress.AnswerPoint(new DateOnly(2026, 3, 2), true, false, Level.Beginner, Topics.Streaming)], Quiz.Conversation.BotTexts.For("en"));

        using var image = new MemoryStream(png);
        var sent = await sandbox.Bot.SendPhoto(8001, global::Telegram.Bot.Types.InputFile.FromStream(image, "chart.png"), "<b>Your chart</b>", global::Telegram.Bot.Types.Enums.ParseMode.Html);
        using var text = new MemoryStream("not an image"u8.ToArray());
        var refused = await Assert.ThrowsAnyAsync<ApiRequestException>(() =>
            sandbox.Bot.SendPhoto(8001, global::Telegram.Bot.Types.InputFile.FromStream(text, "chart.png")));

        Assert.Equal("Your chart", sent.Caption);
        Assert.NotNull(sent.Photo);
        var stored = Assert.Single(sandbox.State.MessagesIn(8001));
        Assert.Equal(png, stored.Photo);
        Assert.Equal(400, refused.ErrorCode);
    }

    [Fact]
    public async Task BroadcastsAboveTheFreeLimitGet429WhileRepliesPass()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken, MaxMessagesPerSecond = 3 });
        const long person = 5001;
        for (var chat = 7001L; chat <= 7003; chat++)
        {
            await sandbox.Bot.SendMessage(chat, "Today's question is waiting");
        }

        var refused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(7004, "Today's question is waiting"));
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.SendTextAsync(person, "/stats"));
        for (var i = 0; i < 3; i++)
        {
            await sandbox.Bot.SendMessage(person, $"Your progress, part {i}");
        }

        Assert.Equal(429, refused.ErrorCode);
        Assert.Equal(1, refused.Parameters?.RetryAfter);
        Assert.Equal(3, sandbox.State.BroadcastsAccepted);
        Assert.Equal(3, sandbox.State.RepliesAccepted);
        Assert.Equal(6, sandbox.State.SendsAccepted);
        Assert.Equal(3, sandbox.State.MaxBroadcastsInAnySecond);
        Assert.Equal(1, sandbox.State.BroadcastLimited);
        Assert.Equal(1, sandbox.State.TooManyRequests);
        Assert.Equal(0, sandbox.State.PerChatLimited);
        Assert.Empty(sandbox.State.MessagesIn(7004));

        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        await sandbox.Bot.SendMessage(7004, "Today's question is waiting");

        Assert.Equal(4, sandbox.State.BroadcastsAccepted);
        Assert.Equal(3, sandbox.State.MaxBroadcastsInAnySecond);
    }

    [Fact]
    public async Task PaidBroadcastsPassAboveTheFreeLimitUpToThePaidLimit()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions
        {
            BotToken = BotToken,
            MaxMessagesPerSecond = 3,
            MaxPaidMessagesPerSecond = 6,
        });
        var start = sandbox.Clock.GetUtcNow();
        for (var chat = 7001L; chat <= 7003; chat++)
        {
            await sandbox.Bot.SendMessage(chat, "Free broadcast");
        }

        var freeRefused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(7004, "Free broadcast"));
        for (var chat = 7004L; chat <= 7006; chat++)
        {
            await sandbox.Bot.SendMessage(chat, "Paid broadcast", allowPaidBroadcast: true);
        }

        var paidRefused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(7007, "Paid broadcast", allowPaidBroadcast: true));

        Assert.Equal(429, freeRefused.ErrorCode);
        Assert.Equal(429, paidRefused.ErrorCode);
        Assert.Equal(1, paidRefused.Parameters?.RetryAfter);
        Assert.Equal(6, sandbox.State.BroadcastsAccepted);
        Assert.Equal(3, sandbox.State.PaidBroadcastsAccepted);
        Assert.Equal(6, sandbox.State.MaxBroadcastsInAnySecond);
        Assert.Equal(2, sandbox.State.BroadcastLimited);
        Assert.Equal(6, sandbox.State.BroadcastTimes.Count);
        Assert.All(sandbox.State.BroadcastTimes, at => Assert.Equal(start, at));
    }

    [Fact]
    public async Task PerChatBurstGives429WithRetryAfterAndOtherChatsAreUnaffected()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken, PerChatBurst = 3 });
        const long busy = 7001;
        const long other = 7002;
        var first = await sandbox.Bot.SendMessage(busy, "Question 1");
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        await sandbox.Bot.SendMessage(busy, "Question 2");
        await sandbox.Bot.EditMessageText(busy, first.Id, "Question 1 (answered)");

        var refused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(busy, "Question 3"));
        var editRefused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.EditMessageText(busy, first.Id, "Question 1 (again)"));
        await sandbox.Bot.SendMessage(other, "Question 1");

        Assert.Equal(429, refused.ErrorCode);
        Assert.True(refused.Parameters?.RetryAfter >= 1, $"retry_after was {refused.Parameters?.RetryAfter}");
        // The first call (at t) leaves the three-second window at t + 3; the clock is at t + 1.
        Assert.Equal(2, refused.Parameters?.RetryAfter);
        Assert.Equal(429, editRefused.ErrorCode);
        Assert.Equal(2, sandbox.State.PerChatLimited);
        Assert.Equal(0, sandbox.State.BroadcastLimited);
        Assert.Equal(2, sandbox.State.TooManyRequests);
        Assert.Single(sandbox.State.MessagesIn(other));

        sandbox.Clock.Advance(TimeSpan.FromSeconds(2));
        await sandbox.Bot.SendMessage(busy, "Question 3");

        Assert.Equal(3, sandbox.State.MessagesIn(busy).Count);
        Assert.Equal(2, sandbox.State.PerChatLimited);
    }

    [Fact]
    public async Task MessagesRecordWhetherTheyWereBroadcastAndPaid()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken, ReplyWindowSeconds = 5 });
        const long person = 5001;
        const long stranger = 7001;
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.SendTextAsync(person, "/start"));
        var welcome = await sandbox.Bot.SendMessage(person, "Welcome");
        await sandbox.Bot.SendMessage(person, "Paid, but a reply", allowPaidBroadcast: true);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(5));
        await sandbox.Bot.SendMessage(person, "Tomorrow's question");
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.TapAsync(person, welcome.Id, "a:1"));
        await sandbox.Bot.SendMessage(person, "Feedback");
        await sandbox.Bot.EditMessageText(person, welcome.Id, "Welcome (edited)");
        await sandbox.Bot.SendMessage(stranger, "Paid broadcast", allowPaidBroadcast: true);

        (string Text, bool IsBroadcast, bool PaidBroadcast)[] expected =
        [
            ("Welcome (edited)", false, false),
            ("Paid, but a reply", false, true),
            ("Tomorrow's question", true, false),
            ("Feedback", false, false),
        ];
        Assert.Equal(expected, sandbox.State.MessagesIn(person).Select(m => (m.Text, m.IsBroadcast, m.PaidBroadcast)));
        var paid = Assert.Single(sandbox.State.MessagesIn(stranger));
        Assert.True(paid.IsBroadcast);
        Assert.True(paid.PaidBroadcast);
        Assert.Equal(2, sandbox.State.BroadcastsAccepted);
        Assert.Equal(1, sandbox.State.PaidBroadcastsAccepted);
        Assert.Equal(4, sandbox.State.RepliesAccepted);
        Assert.Equal(5, sandbox.State.SendsAccepted);
    }

    [Theory]
    [InlineData(nameof(SandboxOptions.MaxPaidMessagesPerSecond))]
    [InlineData(nameof(SandboxOptions.ReplyWindowSeconds))]
    [InlineData(nameof(SandboxOptions.PerChatBurst))]
    [InlineData(nameof(SandboxOptions.MaxMessagesPerMinuteInGroup))]
    public void LimitBelowOneIsRefusedAtStartUp(string setting)
    {
        var options = setting switch
        {
            nameof(SandboxOptions.MaxPaidMessagesPerSecond) => new SandboxOptions { BotToken = BotToken, MaxPaidMessagesPerSecond = 0 },
            nameof(SandboxOptions.ReplyWindowSeconds) => new SandboxOptions { BotToken = BotToken, ReplyWindowSeconds = 0 },
            nameof(SandboxOptions.MaxMessagesPerMinuteInGroup) => new SandboxOptions { BotToken = BotToken, MaxMessagesPerMinuteInGroup = 0 },
            _ => new SandboxOptions { BotToken = BotToken, PerChatBurst = 0 },
        };

        var error = Assert.Throws<ValidationException>(() => SandboxApp.Build(options, "http://127.0.0.1:0"));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
