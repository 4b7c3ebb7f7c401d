using Orleans.Runtime;
using Quiz.Conversation;
using Quiz.Learners;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Grains;

/// <summary>Spaced review, topic choice and the evening nudge on real grains, PostgreSQL and the silo's sender.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LearningTests
{
    private static readonly TimeOnly TenUtc = new(10, 0);
    private readonly QuizTestCluster _cluster;

    public LearningTests(ClusterFixture fixture)
    {
        _cluster = fixture.Cluster;
    }

    [Fact]
    public async Task WrongAnswerComesBackForReviewTheNextDayInPlaceOfANewQuestionAndCountsForTheStreakOnly()
    {
        var clock = _cluster.Services.Clock;
        clock.AdvanceToNextDayAt(TenUtc);
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "es"));
        var first = await _cluster.Services.Sender.WaitForQuestionAsync(id);
        var missed = await user.AnswerAsync(new AnswerSubmission(0, first.Question.Id, first.Day, (first.Question.CorrectIndex + 1) % 4));
        Assert.Equal(first.Day.AddDays(1), missed.NextReview);

        clock.AdvanceToNextDayAt(TenUtc);
        await user.DeliverDueQuestionAsync();
        var review = (await _cluster.Services.Sender.WaitForQuestionsAsync(id, 2))[1];
        var level = (await user.GetStatsAsync()).Level;
        var outcome = await user.AnswerAsync(new AnswerSubmission(0, review.Question.Id, review.Day, review.Question.CorrectIndex));

        Assert.Equal(first.Question.Id, review.Question.Id);
        Assert.StartsWith("🔁 <b>Repaso</b>", review.Html, StringComparison.Ordinal);
        Assert.Equal((first.Day, 1, LevelChange.None), (outcome.ReviewOf, outcome.Streak, outcome.LevelChange));
        Assert.Equal(review.Day.AddDays(2), outcome.NextReview);
        var stats = await user.GetStatsAsync();
        Assert.Equal((level, 1, 0, 1), (stats.Level, stats.ReviewsDone, stats.ReviewsDue, stats.Answered));

        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        clock.AdvanceToNextDayAt(TenUtc);
        await user.DeliverDueQuestionAsync();
        var next = (await _cluster.Services.Sender.WaitForQuestionsAsync(id, 3))[2];
        Assert.NotEqual(first.Question.Id, next.Question.Id);
        Assert.Equal(1, (await user.GetStatsAsync()).ReviewsDone);
    }

    [Fact]
    public async Task QuestionsComeOnlyFromTheTopicsLeftOn()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var (id, user) = NewLearner();
        for (var topic = 0; topic < Topics.All.Count; topic++)
        {
            if (Topics.All[topic] != Topics.Streaming)
            {
                await user.ChangeSettingAsync(new SettingChange(SettingKind.Topic, topic.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, "en"));
            }
        }

        await user.SubscribeAsync(new Subscription(id, "en"));

        var sent = await _cluster.Services.Sender.WaitForQuestionAsync(id);
        Assert.Equal(Topics.Streaming, sent.Question.Topic);
    }

    [Fact]
    public async Task NudgeGoesOutOnceAtSevenInTheEveningWhileTheQuestionWaitsAndNeverInTheQuietHours()
    {
        var clock = _cluster.Services.Clock;
        var morning = clock.AdvanceToNextDayAt(new TimeOnly(8, 0));
        var (id, user) = NewLearner();
        await user.SubscribeAsync(new Subscription(id, "ru"));
        await user.ChangeSettingAsync(new SettingChange(SettingKind.Nudge, "on", 0, "ru"));
        await _cluster.Services.Sender.WaitForQuestionAsync(id);
        var remindable = _cluster.Grains.GetGrain<IRemindable>(((GrainReference)user).GrainId);
        var tick = new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow);
        var nudge = BotTexts.For("ru").Nudge;

        clock.SetUtcNow(morning.AddHours(10).AddMinutes(-1));
        await remindable.ReceiveReminder(UserGrain.NudgeReminder, tick);
        clock.SetUtcNow(morning.AddHours(11));
        await remindable.ReceiveReminder(UserGrain.NudgeReminder, tick);
        await remindable.ReceiveReminder(UserGrain.NudgeReminder, tick);
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.TextsTo(id).Contains(nudge), TimeSpan.FromSeconds(30), "the nudge");
        var quiet = clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        await user.DeliverDueQuestionAsync();
        await _cluster.Services.Sender.WaitForQuestionsAsync(id, 2);
        clock.SetUtcNow(quiet.AddHours(12).AddMinutes(30));
        await remindable.ReceiveReminder(UserGrain.NudgeReminder, tick);
        await user.ShowStatsAsync();

        // The quiet tick wrote nothing: the stored state still names the first evening as the last nudge.
        var stored = await Database.ScalarAsync<string>(_cluster.ConnectionString, """
            select convert_from(payloadbinary, 'UTF8') from orleansstorage
            where serviceid = @service and graintypestring = 'learner' and convert_from(payloadbinary, 'UTF8')::jsonb->>'learnerId' = @learner
            """, ("service", _cluster.ServiceId), ("learner", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(DateOnly.FromDateTime(morning.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            System.Text.Json.Nodes.JsonNode.Parse(stored)!["lastNudged"]!.GetValue<string>());
        Assert.Equal(1, _cluster.Services.Sender.TextsTo(id).Count(t => t == nudge));
    }

    [Fact]
    public async Task AchievementsRecomputedFromTheAnswerLogAreTheOnesTheAnswersEarned()
    {
        var clock = _cluster.Services.Clock;
        clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var (id, user) = NewLearner();
        for (var topic = 0; topic < Topics.All.Count; topic++)
        {
            if (Topics.All[topic] != Topics.Streaming)
            {
                await user.ChangeSettingAsync(new SettingChange(SettingKind.Topic, topic.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, "en"));
            }
        }

        await user.SubscribeAsync(new Subscription(id, "en"));
        for (var day = 0; day < 30; day++)
        {
            var sent = (await _cluster.Services.Sender.WaitForQuestionsAsync(id, day + 1))[day];
            var right = day % 10 != 9;
            await user.AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, right ? sent.Question.CorrectIndex : (sent.Question.CorrectIndex + 1) % 4));
            clock.AdvanceToNextDayAt(TenUtc);
            await user.DeliverDueQuestionAsync();
        }

        var log = new List<Quiz.Rules.LoggedAnswer>();
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(_cluster.ConnectionString))
        await using (var command = dataSource.CreateCommand("""
            select a.question_day, coalesce(q.topic, ''), a.is_correct, a.is_late, a.is_review, a.streak_after, a.level_after
            from answers a left join questions q on q.id = a.question_id where a.learner_id = $1 order by a.answered_at
            """))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = id });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                log.Add(new Quiz.Rules.LoggedAnswer(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3),
                    reader.GetBoolean(4), reader.GetInt32(5), Enum.Parse<Level>(reader.GetString(6))));
            }
        }

        var stored = await Database.ScalarAsync<string>(_cluster.ConnectionString,
            "select string_agg(achievement, ' ' order by achievement) from achievements where learner_id = @id", ("id", id));

        Assert.Equal(30, log.Count);
        Assert.Equal(string.Join(' ', Quiz.Rules.Achievements.FromLog(log).Order(StringComparer.Ordinal)), stored);
        Assert.Equal("first-correct level-advanced level-expert mastery-streaming perfect-week streak-7", stored);
    }

    [Fact]
    public async Task TopShowsOnlyLearnersWhoOptedInRankedByRightAnswersAndTiesByWhoGotThereFirst()
    {
        var now = _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        var learners = Enumerable.Range(0, 3).Select(_ => NewLearner()).ToList();
        var names = new[] { "Ana", "Bo", "Cy" };
        for (var i = 0; i < learners.Count; i++)
        {
            var (id, user) = learners[i];
            await user.SubscribeAsync(new Subscription(id, "en"));
            if (i < 2)
            {
                await user.ChangeSettingAsync(new SettingChange(SettingKind.Top, "on", 0, "en", DisplayName: names[i]));
            }

            var sent = await _cluster.Services.Sender.WaitForQuestionAsync(id);
            await user.AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, sent.Question.CorrectIndex));
        }

        var (ana, anaGrain) = learners[0];
        var (bo, boGrain) = learners[1];
        await boGrain.ChangeSettingAsync(new SettingChange(SettingKind.Top, "maybe", 0, "en"));
        Assert.True(await Database.ScalarAsync<bool>(_cluster.ConnectionString, "select quiz_refresh_leaderboard(@today, interval '0 seconds')",
            ("today", DateOnly.FromDateTime(now.UtcDateTime))));
        await anaGrain.ShowTopAsync();
        await boGrain.ChangeSettingAsync(new SettingChange(SettingKind.Top, "off", 0, "en"));
        await anaGrain.ShowTopAsync();

        var texts = BotTexts.For("en");
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.TextsTo(ana).Count(t => t.StartsWith("🏆 <b>Top 10</b>", StringComparison.Ordinal)) == 2,
            TimeSpan.FromSeconds(30), "two tops");
        var tops = _cluster.Services.Sender.TextsTo(ana).Where(t => t.StartsWith("🏆 <b>Top 10</b>", StringComparison.Ordinal)).ToList();
        Assert.Contains("<b>Today</b>\n1. Ana · 1\n2. Bo · 1\n\n<b>This week</b>\n1. Ana · 1\n2. Bo · 1", tops[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Cy", tops[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Bo", tops[1], StringComparison.Ordinal);
        Assert.DoesNotContain(texts.Top([], [], [], optedIn: false).Split("\n\n")[^1], tops[0], StringComparison.Ordinal);
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.TextsTo(bo).Contains(texts.BadTopCommand), TimeSpan.FromSeconds(30), "the bad /top reply");
    }

    private (long Id, IUserGrain Grain) NewLearner()
    {
        var id = ClusterFixture.NewLearnerId();
        return (id, _cluster.Grains.GetGrain<IUserGrain>(id));
    }
}
