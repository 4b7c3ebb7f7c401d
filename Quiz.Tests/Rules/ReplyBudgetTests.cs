using Microsoft.Extensions.Time.Testing;
using Quiz.Sending;

namespace Quiz.Tests.Rules;

/// <summary>Issue 13: a silo's replies, all chats together, keep to <c>Telegram:RepliesPerSecond</c>; over it they wait in line.</summary>
public sealed class ReplyBudgetTests
{
    [Fact]
    public async Task OverTheBudgetAReplyWaitsUntilAPlaceSpentASecondAgoFrees()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        using var budget = new ReplyBudget(perSecond: 2, clock);
        await budget.WaitAsync();
        budget.Spend();
        await budget.WaitAsync();
        budget.Spend();

        var third = budget.WaitAsync();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APlaceReturnedUnusedIsFreeAtOnce()
    {
        using var budget = new ReplyBudget(perSecond: 1, new FakeTimeProvider());
        await budget.WaitAsync();
        budget.Return();

        await budget.WaitAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }
}
