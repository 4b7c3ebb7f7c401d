using Orleans.Runtime;
using Quiz.Learners;
using Quiz.Sending;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class UserGrainTests
{
    private static readonly TimeOnly TenUtc = new(10, 0);
    private readonly QuizTestCluster _cluster;

    public UserGrainTests(ClusterFixture fixture)
    {
        _cluster = fixture.Cluster;
    }

    [Fact]
    public async Task StartSubscribesAndSendsTodaysQuestionAtOnce()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var (id, user) = NewLearner();

        var result = await user.SubscribeAsync(new Subscription(id, "en"));

        Assert.True(result.IsNewLearner);
        Assert.Equal(DeliveryStatus.Sent, result.Delivery.Status);
        var sent = Assert.Single(await _cluster.Services.Sender.WaitForQuestionsAsync(id));
        Assert.Equal(Level.Intermediate, sent.Question.Level);
        Assert.Equal(result.Delivery.QuestionId, sent.Question.Id);
        var stats = await user.GetStatsAsync();
        Assert.True(stats.IsActive);
        Assert.Equal(new TimeOnly(10, 0), stats.DeliveryTime);
    }

    [Fact]
    public async Task DuplicateAnswerIsCountedOnceInStateAndInTheAnswerLog()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        var sent = Assert.Single(await _cluster.Services.Sender.WaitForQuestionsAsync(id));
        var tap = new AnswerSubmission(9001, sent.Question.Id, sent.Day, sent.Question.CorrectIndex);

        var first = await user.AnswerAsync(tap);
        var redelivered = await user.AnswerAsync(tap);
        var secondTap = await user.AnswerAsync(tap with { UpdateId = 9002, Choice = (tap.Choice + 1) % 4 });

        Assert.Equal((AnswerStatus.Counted, true, 1), (first.Status, first.IsCorrect, first.Streak));
        Assert.Equal(AnswerStatus.Duplicate, redelivered.Status);
        Assert.Equal(AnswerStatus.AlreadyAnswered, secondTap.Status);
        var stats = await user.GetStatsAsync();
        Assert.Equal((1, 1, 1), (stats.Answered, stats.Correct, stats.Streak));
        Assert.Equal(1L, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from answers where learner_id = @id", ("id", id)));
        Assert.True(await Database.ScalarAsync<bool>(_cluster.ConnectionString,
            "select is_correct from answers where learner_id = @id and question_id = @q", ("id", id), ("q", sent.Question.Id)));
        Assert.Equal(1, await Database.ScalarAsync<int>(_cluster.ConnectionString,
            "select answered from user_quiz_summary where learner_id = @id", ("id", id)));
        Assert.True(await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select sum(correct)::bigint from daily_question_stats where question_id = @q and question_day = @d",
            ("q", sent.Question.Id), ("d", sent.Day)) >= 1);
    }

    [Fact]
    public async Task ThreeCorrectDaysPromoteAndTheChangeIsRecorded()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        AnswerOutcome outcome = null!;
        for (var day = 0; day < 3; day++)
        {
            if (day > 0)
            {
                _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
                Assert.Equal(DeliveryStatus.Sent, (await user.DeliverDueQuestionAsync()).Status);
            }

            var sent = (await _cluster.Services.Sender.WaitForQuestionsAsync(id, day + 1))[^1];
            outcome = await user.AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, sent.Question.CorrectIndex));
        }

        Assert.Equal((Level.Advanced, LevelChange.Promoted, 3), (outcome.Level, outcome.LevelChange, outcome.Streak));
        Assert.Equal("promoted", await Database.ScalarAsync<string>(_cluster.ConnectionString,
            "select kind from streak_history where learner_id = @id", ("id", id)));
        Assert.Equal(3L, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from answers where learner_id = @id and not is_late", ("id", id)));

        // Logged once, the answer and the promotion leave the state: the next write carries neither.
        await user.ShowStatsAsync();
        var stored = await Database.ScalarAsync<string>(_cluster.ConnectionString, """
            select convert_from(payloadbinary, 'UTF8') from orleansstorage
            where serviceid = @service and graintypestring = 'learner' and convert_from(payloadbinary, 'UTF8')::jsonb->>'learnerId' = @learner
            """, ("service", _cluster.ServiceId), ("learner", id.ToString()));
        var row = System.Text.Json.Nodes.JsonNode.Parse(stored)!;
        Assert.Null(row["lastAnswer"]);
        Assert.Empty(row["events"]!.AsArray());
        Assert.True(row["eventSeq"]!.GetValue<long>() >= 1, "the event sequence goes on where it was");
        Assert.Equal(3L, await Database.ScalarAsync<long>(_cluster.ConnectionString, "select count(*) from answers where learner_id = @id", ("id", id)));
        Assert.Equal(1L, await Database.ScalarAsync<long>(_cluster.ConnectionString, "select count(*) from streak_history where learner_id = @id", ("id", id)));
    }

    [Fact]
    public async Task DoubledTickSendsOneQuestion()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0, 5));
        var tick = new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow);
        var remindable = _cluster.Grains.GetGrain<IRemindable>(((GrainReference)user).GrainId);

        await Task.WhenAll(
            remindable.ReceiveReminder(UserGrain.DailyReminder, tick),
            remindable.ReceiveReminder(UserGrain.DailyReminder, tick),
            user.DeliverDueQuestionAsync());

        var sent = await _cluster.Services.Sender.WaitForQuestionsAsync(id, 2);
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].Day.AddDays(1), sent[1].Day);
    }

    [Fact]
    public async Task TickBeforeTheDeliveryTimeSendsNothing()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(9, 59));

        var result = await user.DeliverDueQuestionAsync();

        Assert.Equal(DeliveryStatus.NotDue, result.Status);
        Assert.Single(await _cluster.Services.Sender.WaitForQuestionsAsync(id));
    }

    [Fact]
    public async Task ReminderIsStoredAndFiresAtTheLearnersLocalDeliveryTime()
    {
        var clock = _cluster.Services.Clock;
        clock.AdvanceToNextDayAt(new TimeOnly(6, 0));
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));

        // Tomorrow, three seconds before 10:00 in Berlin (UTC+1 in winter, UTC+2 in summer).
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var tomorrow = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        var delivery = new DateTimeOffset(tomorrow.ToDateTime(TenUtc), berlin.GetUtcOffset(tomorrow.ToDateTime(TenUtc)));
        clock.SetUtcNow(delivery.AddSeconds(-3));
        var schedule = await user.SetScheduleAsync(TenUtc, "Europe/Berlin");
        Assert.Equal(delivery, schedule.NextDelivery);
        Assert.Equal(1L, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from orleansreminderstable where serviceid = @s and grainid = @g and remindername = @r",
            ("s", _cluster.ServiceId), ("g", GrainIdOf(user)), ("r", UserGrain.DailyReminder)));

        clock.SetUtcNow(delivery);
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.SentTo(id).Count == 2, TimeSpan.FromSeconds(30), "the reminder's delivery");

        Assert.Equal(tomorrow, _cluster.Services.Sender.SentTo(id)[1].Day);
    }

    [Fact]
    public async Task BadTimeZoneIsRejectedAndChangesNothing()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => user.SetScheduleAsync(new TimeOnly(8, 0), "Mars/Base"));

        Assert.Contains("Mars/Base", error.Message);
        var stats = await user.GetStatsAsync();
        Assert.Equal(("UTC", new TimeOnly(10, 0)), (stats.TimeZoneId, stats.DeliveryTime));
    }

    [Fact]
    public async Task BlockedLearnerIsDeactivatedAndLosesTheReminder()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        _cluster.Services.Sender.Outcomes[id] = SendStatus.Unreachable;
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);

        var result = await user.DeliverDueQuestionAsync();

        // The tick records the question and returns; the sender's 403 then deactivates the learner.
        Assert.Equal(DeliveryStatus.Sent, result.Status);
        await ClockExtensions.WaitUntilAsync(async () => !(await user.GetStatsAsync()).IsActive, TimeSpan.FromSeconds(30), "the 403 to deactivate the learner");
        Assert.Equal(DeliveryStatus.Inactive, (await user.DeliverDueQuestionAsync()).Status);
        Assert.Equal(0L, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from orleansreminderstable where serviceid = @s and grainid = @g", ("s", _cluster.ServiceId), ("g", GrainIdOf(user))));
    }

    [Fact]
    public async Task FailedSendLeavesTheDayOpenAndTheQuestionGoesOutWhenSendingRecovers()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        await _cluster.Services.Sender.WaitForQuestionsAsync(id);
        _cluster.Services.Sender.Outcomes[id] = SendStatus.Failed;
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);

        // The daily tick records the question and returns at once; the sender then fails five times with backoff,
        // the grain reopens the day and moves its reminder to retry soon (2 s in tests).
        var remindable = _cluster.Grains.GetGrain<IRemindable>(((GrainReference)user).GrainId);
        await remindable.ReceiveReminder(UserGrain.DailyReminder, new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow));
        var attemptsBefore = _cluster.Services.Sender.Attempts[id];
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.Attempts[id] >= attemptsBefore + 5, TimeSpan.FromSeconds(30), "five failed attempts");
        Assert.Single(_cluster.Services.Sender.SentTo(id));
        _cluster.Services.Sender.Outcomes.TryRemove(id, out _);

        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.SentTo(id).Count == 2, TimeSpan.FromSeconds(30), "the retried delivery");
        Assert.Equal(DeliveryStatus.AlreadySent, (await user.DeliverDueQuestionAsync()).Status);
        Assert.Equal(2, _cluster.Services.Sender.SentTo(id).Select(s => s.Day).Distinct().Count());
        Assert.True((await user.GetStatsAsync()).IsActive);
    }

    [Fact]
    public async Task StopKeepsProgressAndStartResumesIt()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        var sent = Assert.Single(await _cluster.Services.Sender.WaitForQuestionsAsync(id));
        await user.AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, sent.Question.CorrectIndex));

        await user.UnsubscribeAsync();
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        Assert.Equal(DeliveryStatus.Inactive, (await user.DeliverDueQuestionAsync()).Status);
        var resumed = await user.SubscribeAsync(new Subscription(id, "en"));

        Assert.False(resumed.IsNewLearner);
        Assert.Equal(DeliveryStatus.Sent, resumed.Delivery.Status);
        Assert.Equal(1, (await user.GetStatsAsync()).Answered);
    }

    [Fact]
    public async Task RedeliveredStartRegistersTheReminderThatTheFirstAttemptFailedToWrite()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var (id, user) = NewLearner();
        var start = new Subscription(id, "en", UpdateId: 7_001);

        await using (await RefusedWrites.RemindersOfAsync(_cluster.ConnectionString, GrainIdOf(user)))
        {
            // The state (subscription, update id, welcome and question) is written; the reminder's write is refused.
            await Assert.ThrowsAnyAsync<Exception>(() => user.SubscribeAsync(start));
        }

        var redelivered = await user.SubscribeAsync(start);

        Assert.Equal(DeliveryStatus.AlreadySent, redelivered.Delivery.Status);
        Assert.Equal(1L, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from orleansreminderstable where serviceid = @s and grainid = @g and remindername = @r",
            ("s", _cluster.ServiceId), ("g", GrainIdOf(user)), ("r", UserGrain.DailyReminder)));
        Assert.Single(await _cluster.Services.Sender.WaitForQuestionsAsync(id));
        Assert.True((await user.GetStatsAsync()).IsActive);
    }

    [Fact]
    public async Task RedeliveredStartDoesEverythingWhenTheFirstAttemptsWriteFailed()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var (id, user) = NewLearner();
        var start = new Subscription(id, "en", UpdateId: 7_002);

        await using (await RefusedWrites.StateOfLearnerAsync(_cluster.ConnectionString, id))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => user.SubscribeAsync(start));
        }

        var redelivered = await user.SubscribeAsync(start);

        Assert.Equal((true, DeliveryStatus.Sent), (redelivered.IsNewLearner, redelivered.Delivery.Status));
        Assert.Single(await _cluster.Services.Sender.WaitForQuestionsAsync(id));
        Assert.Equal(1L, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from orleansreminderstable where serviceid = @s and grainid = @g and remindername = @r",
            ("s", _cluster.ServiceId), ("g", GrainIdOf(user)), ("r", UserGrain.DailyReminder)));
    }

    [Fact]
    public async Task TickWhoseWritesAreAllRefusedIsRetriedFromMemoryAndTheDayIsNotLost()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "en"));
        await _cluster.Services.Sender.WaitForQuestionsAsync(id);
        _cluster.Services.Clock.AdvanceToNextDayAt(TenUtc);
        var remindable = _cluster.Grains.GetGrain<IRemindable>(((GrainReference)user).GrainId);

        await using (await RefusedWrites.StateOfLearnerAsync(_cluster.ConnectionString, id))
        await using (await RefusedWrites.RemindersOfAsync(_cluster.ConnectionString, GrainIdOf(user)))
        {
            // The state write fails, and so does moving the reminder: Orleans would next tick tomorrow.
            await Assert.ThrowsAnyAsync<Exception>(() => remindable.ReceiveReminder(UserGrain.DailyReminder, new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow)));
            Assert.Single(_cluster.Services.Sender.SentTo(id));
        }

        await _cluster.Services.Sender.WaitForQuestionsAsync(id, count: 2);
        Assert.Equal(DeliveryStatus.AlreadySent, (await user.DeliverDueQuestionAsync()).Status);
    }

    private static string GrainIdOf(IUserGrain user) => ((GrainReference)user).GrainId.ToString();

    private (long Id, IUserGrain Grain) NewLearner()
    {
        var id = ClusterFixture.NewLearnerId();
        return (id, _cluster.Grains.GetGrain<IUserGrain>(id));
    }
}
