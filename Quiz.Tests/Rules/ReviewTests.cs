using Quiz.Learners;
using static Quiz.Tests.Rules.LearnerTests;

namespace Quiz.Tests.Rules;

/// <summary>Spaced review in the learner's rules: what comes back, when, and what a review counts for.</summary>
public sealed class ReviewTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WrongAnswerSchedulesTheQuestionForReviewTheNextDay()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");

        var outcome = learner.Answer(Tap(monday, MondayMorning, correct: false), MondayMorning.AddHours(1));

        Assert.Equal(new DateOnly(2026, 3, 3), outcome.NextReview);
        Assert.Null(outcome.ReviewOf);
        Assert.Equal("q1", learner.DueReview(new DateOnly(2026, 3, 3))!.Question.Id);
        Assert.Null(learner.DueReview(new DateOnly(2026, 3, 2)));
        Assert.Equal(0, learner.Stats(MondayMorning.AddHours(2)).ReviewsDue);
        Assert.Equal(1, learner.Stats(MondayMorning.AddDays(1)).ReviewsDue);
    }

    [Fact]
    public void RightAnswerSchedulesNoReview()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");

        var outcome = learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));

        Assert.Null(outcome.NextReview);
        Assert.Empty(learner.State.Reviews);
    }

    [Fact]
    public void ReviewAnsweredOnItsDayCountsForTheStreakButNotTheLevel()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: false), MondayMorning.AddHours(1));
        var tuesday = MondayMorning.AddDays(1);
        var card = learner.DueReview(learner.Today(tuesday))!;
        learner.RecordDelivery(monday, learner.Today(tuesday), tuesday, messageId: 2, reviewOf: card.MissedOn);
        var levelBefore = (learner.State.Level, learner.State.CorrectInARow, learner.State.Answered);

        var outcome = learner.Answer(Tap(monday, tuesday, correct: true), tuesday.AddHours(1));

        Assert.Equal(AnswerStatus.Counted, outcome.Status);
        Assert.Equal(new DateOnly(2026, 3, 2), outcome.ReviewOf);
        Assert.Equal(new DateOnly(2026, 3, 5), outcome.NextReview);
        Assert.Equal(1, outcome.Streak);
        Assert.Equal(levelBefore, (learner.State.Level, learner.State.CorrectInARow, learner.State.Answered));
        Assert.Equal(1, learner.Stats(tuesday).ReviewsDone);
        Assert.True(learner.State.LastAnswer!.IsReview);
    }

    [Fact]
    public void NoReviewOnTheDayAfterAReviewDaySoNewMaterialKeepsComing()
    {
        var learner = Subscribed();
        var q1 = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(q1, MondayMorning, correct: false), MondayMorning.AddHours(1));
        var tuesday = learner.Today(MondayMorning.AddDays(1));

        learner.State.LastReviewDay = tuesday.AddDays(-1);
        Assert.Null(learner.DueReview(tuesday));
        learner.State.LastReviewDay = tuesday.AddDays(-2);
        Assert.Equal("q1", learner.DueReview(tuesday)?.Question.Id);
        learner.RecordDelivery(q1, tuesday, MondayMorning.AddDays(1), messageId: 2, reviewOf: learner.DueReview(tuesday)!.MissedOn);
        Assert.Equal(tuesday, learner.State.LastReviewDay);
        Assert.Null(learner.DueReview(tuesday.AddDays(1)));
    }

    [Fact]
    public void UnansweredReviewDayBreaksTheStreakButLeavesTheLevelsRowAndTheReviewDue()
    {
        var learner = Subscribed();
        var q1 = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(q1, MondayMorning, correct: false), MondayMorning.AddHours(1));
        learner.State.CorrectInARow = 2;
        learner.State.Streak = 4;
        var tuesday = learner.Today(MondayMorning.AddDays(1));
        learner.RecordDelivery(q1, tuesday, MondayMorning.AddDays(1), messageId: 2, reviewOf: learner.DueReview(tuesday)!.MissedOn);

        learner.SettleEndedDays(MondayMorning.AddDays(2));

        Assert.Equal(0, learner.State.Streak);
        Assert.Equal(2, learner.State.CorrectInARow);
        Assert.Equal(tuesday, Assert.Single(learner.State.Reviews).Due);
    }

    [Fact]
    public void QuestionAnsweredRightAtEveryReviewIsLearnedAndRetires()
    {
        var learner = Subscribed();
        var q1 = Deliver(learner, MondayMorning, "q1");
        var outcome = learner.Answer(Tap(q1, MondayMorning, correct: false), MondayMorning.AddHours(1));
        var reviews = 0;
        while (outcome.NextReview is { } due)
        {
            var at = new DateTimeOffset(due.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
            learner.RecordDelivery(q1, due, at, messageId: 10 + reviews, reviewOf: learner.DueReview(due)!.MissedOn);
            outcome = learner.Answer(TapOn(q1, due, correct: true), at.AddHours(1));
            reviews++;
        }

        Assert.Equal(6, reviews);
        Assert.Empty(learner.State.Reviews);
        Assert.Equal(6, learner.State.ReviewsDone);
    }
}
