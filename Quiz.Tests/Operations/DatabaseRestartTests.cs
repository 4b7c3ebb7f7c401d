using System.Net;
using Quiz.Testing.Faults;
using Xunit.Abstractions;

namespace Quiz.Tests.Operations;

/// <summary>PostgreSQL restarted under a stream of answers: the short version of <c>bench/faults/postgres-restart.sh</c>.</summary>
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WebhookAnswers503WhileTheDatabaseIsDownAndEveryAnswerCountsOnceAfterItIsBack()
    {
        var outcome = await DatabaseRestart.RunAsync(learners: 12);

        output.WriteLine(outcome.ToString());
        Assert.All(outcome.AnsweredWhileDown, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.Equal(12, outcome.CountedOnce);
        Assert.True(outcome.NewcomerServed, "a learner starting after the restart got no question");
        Assert.True(outcome.Passed);
    }
}
