using Xunit.Abstractions;

namespace Quiz.Tests.Operations;

/// <summary>One of two silo processes killed during the daily fan-out: the short version of <c>bench/faults/kill-silo.sh</c>.</summary>
[Collection(Telegram.BroadcastBudgetCollection.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingOneOfTwoSilosDuringTheFanOutCostsNoLearnerTheirDayAndLosesNoAnswer()
    {
        using var report = new StringWriter();

        var passed = await DailyFanOut.RunAsync(
            learners: 240, limit: 25, concurrency: 64, retryAfter: TimeSpan.FromSeconds(10), answerEvery: 4, silos: 2, killSiloAfter: 80, output: report);

        output.WriteLine(report.ToString());
        Assert.True(passed, report.ToString());
        Assert.Contains("fault kill-silo: PASS", report.ToString(), StringComparison.Ordinal);
    }
}
