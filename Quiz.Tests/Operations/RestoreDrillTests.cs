using Quiz.Testing.Faults;
using Xunit.Abstractions;

namespace Quiz.Tests.Operations;

/// <summary>A backup taken while learners answer, restored and served: the short version of <c>bench/faults/restore-drill.sh</c>.</summary>
public sealed class RestoreDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ADumpTakenWhileLearnersAnswerIsConsistentAndASiloOnItsRestoredCopyServesTheSameLearners()
    {
        var outcome = await RestoreDrill.RunAsync(learners: 8);

        output.WriteLine(outcome.ToString());
        Assert.True(outcome.AnswersInDump > 0, "the dump holds no answers");
        Assert.Equal(0, outcome.Inconsistent);
        Assert.Equal(8, outcome.Served);
        Assert.Equal(8, outcome.Reminders);
        Assert.Equal(8, outcome.DeliveredNextDay);
        Assert.True(outcome.Passed);
    }
}
