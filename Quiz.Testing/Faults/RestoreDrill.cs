using Npgsql;

namespace Quiz.Testing.Faults;

/// <summary>What a backup taken under load and restored into a fresh database gave back.</summary>
/// <param name="Learners">Learners answering while the dump was taken.</param>
/// <param name="AnswersInDump">Rows of the answer log in the restored copy.</param>
/// <param name="AnswersAtTheEnd">Rows of the answer log of the source once answering stopped: more than in the dump, as it went on meanwhile.</param>
/// <param name="Inconsistent">Learners of the copy whose state and answer log disagree (an answer counted in one and not the other), and answers of learners with no state.</param>
/// <param name="Served">Learners whose progress the silo on the copy reports as the copy's answer log has it.</param>
/// <param name="Reminders">Learners with their daily reminder in the copy.</param>
/// <param name="DeliveredNextDay">Learners the silo on the copy sent the next day's question.</param>
public sealed record RestoreDrillOutcome(int Learners, long AnswersInDump, long AnswersAtTheEnd, long Inconsistent, int Served, long Reminders, int DeliveredNextDay)
{
    public bool Passed => AnswersInDump > 0 && Inconsistent == 0 && Served == Learners && Reminders == Learners && DeliveredNextDay == Learners;

    public override string ToString() =>
        $"{Learners} learners answered while pg_dump ran; the copy holds {AnswersInDump} answers (the source {AnswersAtTheEnd} at the end), " +
        $"{Inconsistent} learners inconsistent between state and log; on the copy a silo served {Served} of {Learners} with their progress, " +
        $"{Reminders} reminders came back, {DeliveredNextDay} got the next day's question";
}

/// <summary>
/// The restore drill of docs/operations.md: a <c>pg_dump</c> of a running system while learners answer, restored into a
/// fresh database with <c>pg_restore</c> and the schema script, then a silo on the copy with the same service id.
/// </summary>
public static class RestoreDrill
{
    private static readonly TimeOnly DeliveryTime = new(10, 0);

    /// <summary>Each learner's state against their answer log; answers whose learner has no state count too.</summary>
    private const string Inconsistencies = """
        with states as (
            select convert_from(payloadbinary, 'UTF8')::jsonb as s from orleansstorage
            where graintypestring = 'learner' and serviceid = @service and payloadbinary is not null
        ), learners as (
            select (s->>'learnerId')::bigint as id, (s->>'answered')::bigint as answered, coalesce((s->>'reviewsDone')::bigint, 0) as reviews
            from states
        )
        select (select count(*) from learners l
                where l.answered <> (select count(*) from answers a where a.learner_id = l.id and not a.is_review)
                   or l.reviews <> (select count(*) from answers a where a.learner_id = l.id and a.is_review))
             + (select count(distinct a.learner_id) from answers a where not exists (select 1 from learners l where l.id = a.learner_id))
        """;

    public static async Task<RestoreDrillOutcome> RunAsync(int learners)
    {
        var postgres = await SharedPostgres.GetAsync();
        var source = await postgres.CreateDatabaseAsync();
        var copy = await postgres.CreateDatabaseAsync(applySchema: false);
        var dump = Path.Combine(Path.GetTempPath(), $"quiz-drill-{Guid.NewGuid():N}.dump");
        var ids = Enumerable.Range(0, learners).Select(_ => LearnerIds.Next()).ToList();
        string serviceId;
        DateTimeOffset stoppedAt;
        long answersAtTheEnd;
        try
        {
            await using (var cluster = await QuizTestCluster.StartAsync(connectionString: source))
            {
                serviceId = cluster.ServiceId;
                var clock = cluster.Services.Clock;
                clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
                foreach (var id in ids)
                {
                    await cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
                }

                using var stop = new CancellationTokenSource();
                var answering = AnswerDailyAsync(cluster, ids, stop.Token);
                // The dump starts half-way through the second day's answers, so that it runs while they are written.
                await ClockExtensions.WaitUntilAsync(
                    async () => answering.IsCompleted || await Database.ScalarAsync<long>(source, "select count(*) from answers") >= learners + (learners / 2),
                    TimeSpan.FromSeconds(60), "a day and a half of answers");
                await postgres.DumpAsync(source, dump);
                await stop.CancelAsync();
                await answering;
                stoppedAt = clock.GetUtcNow();
                answersAtTheEnd = await Database.ScalarAsync<long>(source, "select count(*) from answers");
            }

            await postgres.RestoreAsync(dump, copy);
            await PostgresServer.ApplySchemaAsync(copy);
        }
        finally
        {
            File.Delete(dump);
        }

        var answersInDump = await Database.ScalarAsync<long>(copy, "select count(*) from answers");
        var inconsistent = await Database.ScalarAsync<long>(copy, Inconsistencies, ("service", serviceId));
        var reminders = await Database.ScalarAsync<long>(copy,
            "select count(*) from orleansreminderstable where serviceid = @service and remindername = 'daily-question'", ("service", serviceId));

        var services = new TestClusterServices();
        services.Clock.SetUtcNow(stoppedAt);
        await using var restored = await QuizTestCluster.StartAsync(serviceId: serviceId, services: services, connectionString: copy);
        var served = 0;
        foreach (var id in ids)
        {
            var stats = await restored.Grains.GetGrain<IUserGrain>(id).GetStatsAsync();
            var logged = await Database.ScalarAsync<long>(copy, "select count(*) from answers where learner_id = @id and not is_review", ("id", id));
            served += stats.IsActive && stats.Answered == logged ? 1 : 0;
        }

        services.Clock.AdvanceToNextDayAt(DeliveryTime);
        var delivered = 0;
        foreach (var id in ids)
        {
            var result = await restored.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync();
            delivered += result.Status == DeliveryStatus.Sent ? 1 : 0;
        }

        return new RestoreDrillOutcome(learners, answersInDump, answersAtTheEnd, inconsistent, served, reminders, delivered);
    }

    /// <summary>Day after day, every learner answers the day's question (one in three wrongly), until stopped.</summary>
    private static async Task AnswerDailyAsync(QuizTestCluster cluster, IReadOnlyList<long> ids, CancellationToken stop)
    {
        await Task.Yield();
        for (var day = 1; !stop.IsCancellationRequested; day++)
        {
            foreach (var id in ids)
            {
                var question = (await cluster.Services.Sender.WaitForQuestionsAsync(id, day))[^1];
                var choice = (id + day) % 3 == 0 ? (question.Question.CorrectIndex + 1) % 4 : question.Question.CorrectIndex;
                await cluster.Grains.GetGrain<IUserGrain>(id).AnswerAsync(new AnswerSubmission(0, question.Question.Id, question.Day, choice));
            }

            cluster.Services.Clock.AdvanceToNextDayAt(DeliveryTime);
            foreach (var id in ids)
            {
                await cluster.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync();
            }
        }
    }
}
