using System.Collections.Immutable;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Grains;

/// <summary>Clusters of their own, started and stopped inside each test.</summary>
public sealed class ClusterResilienceTests
{
    private static readonly TimeOnly TenUtc = new(10, 0);

    [Fact]
    public async Task StateSurvivesAFullClusterRestart()
    {
        var first = await QuizTestCluster.StartAsync();
        var services = first.Services;
        var serviceId = first.ServiceId;
        services.Clock.AdvanceToNextDayAt(TenUtc);
        var id = ClusterFixture.NewLearnerId();
        LearnerStats before;
        try
        {
            var user = first.Grains.GetGrain<IUserGrain>(id);
            await user.SubscribeAsync(new Subscription(id, "de"));
            await user.SetScheduleAsync(new TimeOnly(7, 30), "Asia/Tokyo");
            var sent = Assert.Single(await services.Sender.WaitForQuestionsAsync(id));
            await user.AnswerAsync(new AnswerSubmission(77, sent.Question.Id, sent.Day, sent.Question.CorrectIndex));
            before = await user.GetStatsAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await QuizTestCluster.StartAsync(serviceId: serviceId, services: services);
        var restarted = second.Grains.GetGrain<IUserGrain>(id);
        var after = await restarted.GetStatsAsync();

        Assert.Equal(before with { Topics = [] }, after with { Topics = [] });
        Assert.Equal(before.Topics.AsEnumerable(), after.Topics.AsEnumerable());
        Assert.Equal(("Asia/Tokyo", 1, 1), (after.TimeZoneId, after.Answered, after.Streak));
        var sentBefore = services.Sender.SentTo(id).Single();
        var again = await restarted.AnswerAsync(new AnswerSubmission(77, sentBefore.Question.Id, sentBefore.Day, 0));
        Assert.Equal(AnswerStatus.Duplicate, again.Status);
    }

    [Fact]
    public async Task TwoSiloClusterKeepsServingAndFiringRemindersAfterASiloDies()
    {
        await using var cluster = await QuizTestCluster.StartAsync(silos: 2);
        var clock = cluster.Services.Clock;
        var sender = cluster.Services.Sender;
        clock.AdvanceToNextDayAt(new TimeOnly(6, 0));
        var learners = Enumerable.Range(0, 12).Select(_ => ClusterFixture.NewLearnerId()).ToList();
        foreach (var id in learners)
        {
            await cluster.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
        }

        // Tomorrow's delivery, a few seconds away in real time, for every learner.
        var tomorrowTen = new DateTimeOffset(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1).ToDateTime(TenUtc), TimeSpan.Zero);
        clock.SetUtcNow(tomorrowTen.AddSeconds(-20));
        foreach (var id in learners)
        {
            await cluster.Grains.GetGrain<IUserGrain>(id).SetScheduleAsync(TenUtc, "UTC");
        }

        await cluster.Cluster.KillSiloAsync(cluster.Cluster.SecondarySilos[0]);
        clock.SetUtcNow(tomorrowTen);

        await ClockExtensions.WaitUntilAsync(
            () => learners.All(id => sender.SentTo(id).Count == 2),
            TimeSpan.FromSeconds(90),
            "every learner's reminder to deliver after a silo died");
        var answered = await cluster.Grains.GetGrain<IUserGrain>(learners[0]).GetStatsAsync();
        Assert.True(answered.IsActive);
        Assert.All(learners, id => Assert.Equal(2, sender.SentTo(id).Select(s => s.Day).Distinct().Count()));
    }

    [Fact]
    public async Task DayWithNoQuestionAvailableIsSettledAndSaved()
    {
        var postgres = await SharedPostgres.GetAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await QuizTestCluster.StartAsync(connectionString: database);
        var clock = cluster.Services.Clock;
        var sender = cluster.Services.Sender;
        var id = ClusterFixture.NewLearnerId();
        var user = cluster.Grains.GetGrain<IUserGrain>(id);
        clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        await user.SubscribeAsync(new Subscription(id, "en"));
        var first = Assert.Single(await sender.WaitForQuestionsAsync(id));
        await user.AnswerAsync(new AnswerSubmission(1, first.Question.Id, first.Day, first.Question.CorrectIndex));
        clock.AdvanceToNextDayAt(TenUtc);
        Assert.Equal(DeliveryStatus.Sent, (await user.DeliverDueQuestionAsync()).Status);
        await sender.WaitForQuestionsAsync(id, count: 2);

        // The second day's question stays unanswered, and by the third day every question at the level is retired.
        await Database.ScalarAsync<int>(database, "with retired as (update questions set status = 'retired' where level = 'Intermediate' returning 1) select count(*)::int from retired");
        clock.AdvanceToNextDayAt(TenUtc);
        var bank = cluster.Grains.GetGrain<IQuestionBankGrain>(0);
        await ClockExtensions.WaitUntilAsync(
            async () => await bank.ChooseAsync(new QuestionRequest(Level.Intermediate, ImmutableDictionary<string, DateOnly>.Empty, [])) is null,
            TimeSpan.FromSeconds(30),
            "the silo's catalog to drop the retired questions");

        var third = await user.DeliverDueQuestionAsync();

        Assert.Equal(DeliveryStatus.NoQuestion, third.Status);
        // The unanswered day was settled (the streak reset) and saved: its event is in the log the state write keeps.
        Assert.Equal(1L, await Database.ScalarAsync<long>(database,
            "select count(*) from streak_history where learner_id = @id and kind = 'streak-reset' and cause = 'skipped-day'", ("id", id)));
        Assert.Equal(0, (await user.GetStatsAsync()).Streak);
    }

    [Fact]
    public async Task OwedQuestionGoesOutOnceAfterTheSiloDiesBetweenWriteAndSend()
    {
        var first = await QuizTestCluster.StartAsync();
        var services = first.Services;
        var serviceId = first.ServiceId;
        services.Clock.AdvanceToNextDayAt(TenUtc);
        var id = ClusterFixture.NewLearnerId();
        DeliveryResult delivery;
        try
        {
            var user = first.Grains.GetGrain<IUserGrain>(id);
            await user.SubscribeAsync(new Subscription(id, "en"));
            await services.Sender.WaitForQuestionsAsync(id);
            // Telegram is down for this chat: the tick's write goes through, the send does not.
            services.Sender.Outcomes[id] = Sending.SendStatus.Failed;
            services.Clock.AdvanceToNextDayAt(TenUtc);
            delivery = await user.DeliverDueQuestionAsync();
            await first.Cluster.KillSiloAsync(first.Cluster.Primary!);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(1L, await Database.ScalarAsync<long>(first.ConnectionString,
            "select count(*) from learner_outbox_pending where serviceid = @s and learner_id = @id", ("s", serviceId), ("id", id)));
        services.Sender.Outcomes.TryRemove(id, out _);

        // Nobody calls the learner: the new cluster's outbox sweep finds what the state still owes.
        await using var second = await QuizTestCluster.StartAsync(serviceId: serviceId, services: services);
        var sent = await services.Sender.WaitForQuestionsAsync(id, 2);

        Assert.Equal(2, sent.Count);
        Assert.Equal(delivery.Day, sent[1].Day);
        Assert.Equal(delivery.QuestionId, sent[1].Question.Id);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(2, services.Sender.SentTo(id).Count);
        Assert.Equal(DeliveryStatus.AlreadySent, (await second.Grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync()).Status);
    }

    [Fact]
    public async Task LearnerWhoseReminderTickWasLostGetsTheDaysQuestionFromTheDueSweep()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        var services = new TestClusterServices();
        var id = ClusterFixture.NewLearnerId();
        string serviceId;
        await using (var first = await QuizTestCluster.StartAsync(connectionString: database, services: services))
        {
            serviceId = first.ServiceId;
            services.Clock.AdvanceToNextDayAt(TenUtc);
            await first.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en"));
            await services.Sender.WaitForQuestionsAsync(id);
        }

        // Tomorrow's tick is lost, as Orleans drops a tick whose activation fails: the reminder is not there to fire.
        Assert.Equal(1, await Database.ScalarAsync<int>(database, "with gone as (delete from orleansreminderstable returning 1) select count(*)::int from gone"));
        var now = services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 15));
        await using var second = await QuizTestCluster.StartAsync(
            connectionString: database, serviceId: serviceId, services: services, configuration: new Dictionary<string, string> { ["Delivery:DueSweepInterval"] = "00:00:02" });

        var sent = await services.Sender.WaitForQuestionsAsync(id, 2);

        Assert.Equal(DateOnly.FromDateTime(now.UtcDateTime), sent[1].Day);
    }

    [Fact]
    public async Task DueSweepDeliversEveryLostTickAtOnceNotABatchPerInterval()
    {
        const int learners = 1_100;
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        var services = new TestClusterServices();
        var ids = Enumerable.Range(0, learners).Select(_ => ClusterFixture.NewLearnerId()).ToList();
        string serviceId;
        await using (var first = await QuizTestCluster.StartAsync(connectionString: database, services: services))
        {
            serviceId = first.ServiceId;
            services.Clock.AdvanceToNextDayAt(TenUtc);
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, _) =>
                await first.Grains.GetGrain<IUserGrain>(id).SubscribeAsync(new Subscription(id, "en")));
            await Parallel.ForEachAsync(ids, async (id, _) => await services.Sender.WaitForQuestionsAsync(id));
        }

        // Every tick of tomorrow is lost, more than one sweep batch (1,000) of them.
        await Database.ScalarAsync<int>(database, "with gone as (delete from orleansreminderstable returning 1) select count(*)::int from gone");
        services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 15));
        await using var second = await QuizTestCluster.StartAsync(
            connectionString: database,
            serviceId: serviceId,
            services: services,
            configuration: new Dictionary<string, string>
            {
                ["Delivery:DueSweepInterval"] = "00:00:20",
                // Paid broadcast, so that Telegram's pace (25 a second by default) is not what the test measures.
                ["Telegram:BroadcastPerSecond"] = "1000",
                ["Telegram:PaidBroadcast"] = "true",
            });

        // The first sweep comes 10 to 30 s after the start, the next one at least 10 s later.
        await ClockExtensions.WaitUntilAsync(() => ids.Any(id => services.Sender.SentTo(id).Count == 2), TimeSpan.FromSeconds(60), "the first sweep");
        await ClockExtensions.WaitUntilAsync(() => ids.All(id => services.Sender.SentTo(id).Count == 2), TimeSpan.FromSeconds(8), "every lost tick's question from that same sweep");
    }
}
