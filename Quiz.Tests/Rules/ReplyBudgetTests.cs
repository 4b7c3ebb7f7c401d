using Quiz.Sending;

namespace Quiz.Tests.Rules;

/// <summary>Issue 13: a silo's replies, all chats together, keep to <c>Telegram:RepliesPerSecond</c>; over it they wait.</summary>
public sealed class ReplyBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OverTheBudgetAReplyWaitsUntilTheOldestOfTheLastSecondLeavesIt()
    {
        var budget = new ReplyBudget(perSecond: 3);
        foreach (var ms in new[] { 0, 100, 200 })
        {
            Assert.Equal(TimeSpan.Zero, budget.WaitFrom(Start.AddMilliseconds(ms)));
            budget.Take(Start.AddMilliseconds(ms));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(700), budget.WaitFrom(Start.AddMilliseconds(300)));
        Assert.Equal(TimeSpan.Zero, budget.WaitFrom(Start.AddMilliseconds(1000)));
        budget.Take(Start.AddMilliseconds(1000));
        Assert.Equal(TimeSpan.FromMilliseconds(50), budget.WaitFrom(Start.AddMilliseconds(1050)));
    }
}
