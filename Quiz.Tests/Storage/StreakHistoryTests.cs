using Quiz.Learners;
using Quiz.Storage;
using static Quiz.Tests.Rules.LearnerTests;

namespace Quiz.Tests.Storage;

/// <summary>The progress events a state write appends to <c>streak_history</c> (sql/110_quiz_learners.sql).</summary>
public sealed class StreakHistoryTests
{
    [Fact]
    public async Task FreezesEarnedAndSpentAreAppendedWithTheirCauses()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        var learner = Subscribed();
        var morning = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        for (var day = 0; day < 7; day++)
        {
            var question = Deliver(learner, morning.AddDays(day), $"q{day}");
            learner.Answer(Tap(question, morning.AddDays(day), correct: true), morning.AddDays(day).AddHours(1));
        }

        Deliver(learner, morning.AddDays(7), "skipped");
        learner.SettleEndedDays(morning.AddDays(8));
        var json = new JsonGrainStateSerializer().Serialize(learner.State).ToString();

        await Database.ScalarAsync<int>(database, "select 1 from quiz_record_learner_progress(@state::jsonb)", ("state", json));

        Assert.Equal("freeze-earned/seventh-day/6/7 freeze-spent/skipped-day/7/7", await Database.ScalarAsync<string>(database, """
            select string_agg(kind || '/' || cause || '/' || streak_before || '/' || streak_after, ' ' order by seq)
            from streak_history where learner_id = 42 and kind like 'freeze-%'
            """));
    }
}
