using Quiz.Testing.Faults;
using Xunit.Abstractions;

namespace Quiz.Tests.Operations;

/// <summary>The gateway process killed under a stream of answers: the short version of <c>bench/faults/gateway-restart.sh</c>.</summary>
public sealed class GatewayRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnswersCutByAGatewayKillComeAgainAndCountOnce()
    {
        // Enough taps that some are still in flight when the kill lands: killing the process tree takes tens of
        // milliseconds on a loaded machine, and 40 learners once finished every tap in that time.
        const int Learners = 90;
        var outcome = await GatewayRestart.RunAsync(Learners);

        output.WriteLine(outcome.ToString());
        Assert.True(outcome.AcknowledgedBeforeKill > 0, "the gateway was killed before any answer was acknowledged");
        Assert.True(outcome.Redeliveries > 0, "the kill cut no delivery: nothing was tried");
        Assert.Equal(0, outcome.NotAcknowledged);
        Assert.Equal(Learners, outcome.CountedOnce);
        Assert.True(outcome.Passed);
    }
}
