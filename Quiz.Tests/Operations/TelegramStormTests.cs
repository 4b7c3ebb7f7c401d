using Quiz.Testing.Faults;
using Xunit.Abstractions;

namespace Quiz.Tests.Operations;

/// <summary>Storms of 429 and 403 from the Bot API during a fan-out: the short version of <c>bench/faults/telegram-storms.sh</c>.</summary>
[Collection(Telegram.BroadcastBudgetCollection.Name)]
public sealed class TelegramStormTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FanOutThroughStormsOf429And403SendsEachReachableLearnerOneQuestionAndStopsAtTheBlocked()
    {
        var outcome = await TelegramStorms.RunAsync(learners: 40);

        output.WriteLine(outcome.ToString());
        Assert.Equal(36, outcome.WithTheirQuestion);
        Assert.Equal(0, outcome.WithTwo);
        Assert.Equal(0, outcome.BlockedStillActive);
        Assert.InRange(outcome.SendsRefusedAsBlocked, 1, outcome.Blocked);
        Assert.True(outcome.Passed);
    }
}
