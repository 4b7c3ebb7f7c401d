using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Grains;

/// <summary>A silo asked to stop hands its learners over; nothing acknowledged is lost.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task StoppingOneOfTwoSilosDuringAStreamOfAnswersLosesNone()
    {
        await using var cluster = await QuizTestCluster.StartAsync(silos: 2);
        cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var learners = Enumerable.Range(0, 60).Select(_ => ClusterFixture.NewLearnerId()).ToList();
        foreach (var id in learners)
        {
            await cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
        }

        var acknowledged = 0;
        var stream = Task.WhenAll(learners.Select(async (id, i) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(i * 20));
            var sent = (await cluster.Services.Sender.WaitForQuestionsAsync(id)).Single();
            var answer = new AnswerSubmission(7_000_000 + i, sent.Question.Id, sent.Day, sent.Question.CorrectIndex);
            // As Telegram does: an update that was not acknowledged is delivered again, with the same update id.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var outcome = await cluster.Grains.GetGrain<IUserGrain>(id).AnswerAsync(answer);
                    Assert.True(outcome.Status is AnswerStatus.Counted or AnswerStatus.Duplicate, $"learner {id}: {outcome.Status}");
                    Interlocked.Increment(ref acknowledged);
                    return;
                }
                catch (Exception) when (attempt < 20)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }
            }
        }));
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        await cluster.Cluster.StopSiloAsync(cluster.Cluster.SecondarySilos[1]);
        await stream;

        Assert.Equal(learners.Count, acknowledged);
        Assert.Equal((long)learners.Count, await Database.ScalarAsync<long>(cluster.ConnectionString,
            "select count(*) from answers where learner_id = any(@ids)", ("ids", learners.ToArray())));
        foreach (var id in learners)
        {
            Assert.Equal(1, (await cluster.Grains.GetGrain<IUserGrain>(id).GetStatsAsync()).Answered);
        }
    }
}
