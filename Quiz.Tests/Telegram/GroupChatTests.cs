using System.Net;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>A group chat through the real Telegram.Bot client, the sandbox's groups, the gateway and the silo.</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class GroupChatTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TelegramEdgeFixture _edge;

    public GroupChatTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    private SandboxState Sandbox => _edge.Sandbox;

    [Fact]
    public async Task OnlyAnAdminTurnsItOnThreeMembersAnswerWithToastsAndTheNextQuestionBringsTheTally()
    {
        var (admin, bea, cy) = (TelegramEdgeFixture.NewUserId(), TelegramEdgeFixture.NewUserId(), TelegramEdgeFixture.NewUserId());
        var group = NewGroup(admin, (bea, "Bea"), (cy, "Cy"));

        Assert.Equal(HttpStatusCode.OK, await Sandbox.AddBotToGroupAsync(group, admin));
        await MessageAsync(group, m => m.PlainText.Contains("/daily HH:MM Area/City", StringComparison.Ordinal));
        await Sandbox.SendGroupTextAsync(group, bea, "/daily 09:00 UTC");
        await MessageAsync(group, m => m.PlainText.StartsWith("Only a group admin", StringComparison.Ordinal));
        Assert.DoesNotContain(Sandbox.MessagesIn(group), IsQuestion);

        await Sandbox.SendGroupTextAsync(group, admin, "/daily 09:00 UTC");
        await MessageAsync(group, m => m.PlainText.Contains("every day at 09:00 (UTC)", StringComparison.Ordinal));
        var question = await MessageAsync(group, IsQuestion);
        Assert.Equal(["A", "B", "C", "D"], question.Buttons.Select(b => b.Text));
        var correct = await CorrectIndexAsync(question);
        var wrong = (correct + 1) % 4;

        await Sandbox.TapAsync(group, admin, question.MessageId, question.Buttons[correct].CallbackData);
        await Sandbox.TapAsync(group, bea, question.MessageId, question.Buttons[correct].CallbackData);
        await Sandbox.TapAsync(group, cy, question.MessageId, question.Buttons[wrong].CallbackData);
        await Sandbox.TapAsync(group, bea, question.MessageId, question.Buttons[wrong].CallbackData);

        var letters = "ABCD";
        Assert.Equal($"✅ Right ({letters[correct]})! The tally comes with the next question.", ToastTo(admin));
        Assert.Equal($"You answered already: {letters[correct]}. One answer each.", ToastTo(bea));
        Assert.Equal($"❌ Not this time ({letters[wrong]}). The right answer comes with the next question.", ToastTo(cy));
        Assert.False(Sandbox.MessagesIn(group).Single(m => m.MessageId == question.MessageId).Edited);
        Assert.Equal(0L, await Database.ScalarAsync<long>(_edge.Cluster.ConnectionString,
            "select count(*) from answers where learner_id = any(@ids)", ("ids", new[] { admin, bea, cy })));

        await Sandbox.SendGroupTextAsync(group, cy, "/top");
        var top = await MessageAsync(group, m => m.PlainText.StartsWith("🏆 This group's top 10", StringComparison.Ordinal));
        Assert.Contains("Today\n1. Ana · 1\n2. Bea · 1\n\nThis week", top.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Cy", top.PlainText, StringComparison.Ordinal);

        _edge.Cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(9, 30));
        var groupGrain = _edge.Cluster.Grains.GetGrain<IGroupGrain>(group);
        var posted = await Task.WhenAll(groupGrain.PostDueAsync(), groupGrain.PostDueAsync());

        Assert.Single(posted, p => p);
        var tallied = await MessageAsync(group, m => m.MessageId == question.MessageId && m.Edited);
        Assert.Contains($"✅ Right answer: {letters[correct]}", tallied.PlainText, StringComparison.Ordinal);
        Assert.Contains("Right: Ana, Bea", tallied.PlainText, StringComparison.Ordinal);
        Assert.Contains(string.Join(" · ", Enumerable.Range(0, 4).Select(o => $"{letters[o]} {(o == correct ? 2 : o == wrong ? 1 : 0)}")), tallied.PlainText, StringComparison.Ordinal);
        Assert.Empty(tallied.Buttons);
        await ClockExtensions.WaitUntilAsync(() => Sandbox.MessagesIn(group).Count(IsQuestion) == 1 && Sandbox.MessagesIn(group).Any(m => IsQuestion(m) && m.MessageId != question.MessageId),
            Patience, "the second day's question");
    }

    [Fact]
    public async Task RemovedFromTheGroupTheBotPostsNoMoreQuestions()
    {
        var admin = TelegramEdgeFixture.NewUserId();
        var group = NewGroup(admin);
        await Sandbox.AddBotToGroupAsync(group, admin);
        await Sandbox.SendGroupTextAsync(group, admin, "/daily 09:00 UTC");
        await MessageAsync(group, IsQuestion);

        Assert.Equal(HttpStatusCode.OK, await Sandbox.RemoveBotFromGroupAsync(group, admin));
        _edge.Cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(9, 30));

        Assert.False(await _edge.Cluster.Grains.GetGrain<IGroupGrain>(group).PostDueAsync());
        Assert.Single(Sandbox.MessagesIn(group), IsQuestion);
    }

    [Fact]
    public async Task ABadDailyCommandIsExplainedAndChangesNothing()
    {
        var admin = TelegramEdgeFixture.NewUserId();
        var group = NewGroup(admin);
        await Sandbox.AddBotToGroupAsync(group, admin);

        await Sandbox.SendGroupTextAsync(group, admin, "/daily 25:00 Mars/Olympus");

        await MessageAsync(group, m => m.PlainText.StartsWith("Use /daily HH:MM Area/City", StringComparison.Ordinal));
        Assert.False(await _edge.Cluster.Grains.GetGrain<IGroupGrain>(group).PostDueAsync());
        Assert.DoesNotContain(Sandbox.MessagesIn(group), IsQuestion);
    }

    /// <summary>A group of its own, created by <paramref name="creator"/> ("Ana"), with these other members.</summary>
    private long NewGroup(long creator, params (long Id, string Name)[] members)
    {
        var group = -creator;
        Sandbox.CreateGroup(group, "Data Team", creator, "Ana");
        foreach (var (id, name) in members)
        {
            Sandbox.AddMember(group, id, name);
        }

        return group;
    }

    private string? ToastTo(long userId) => Sandbox.CallbackAnswers.LastOrDefault(a => a.UserId == userId)?.Text;

    private async Task<SandboxMessage> MessageAsync(long chatId, Func<SandboxMessage, bool> match)
    {
        SandboxMessage? found = null;
        await ClockExtensions.WaitUntilAsync(() => (found = Sandbox.MessagesIn(chatId).LastOrDefault(match)) is not null, Patience, $"a matching message in chat {chatId}");
        return found!;
    }

    private async Task<short> CorrectIndexAsync(SandboxMessage question)
    {
        Assert.True(AnswerCallback.TryParse(question.Buttons[0].CallbackData, out var questionId, out _, out _));
        return await Database.ScalarAsync<short>(_edge.Cluster.ConnectionString, "select correct_index from questions where id = @id", ("id", questionId));
    }

    private static bool IsQuestion(SandboxMessage message) => message.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal));
}
