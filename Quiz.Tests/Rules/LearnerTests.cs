using Quiz.Learners;

namespace Quiz.Tests.Rules;

public sealed class LearnerTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CorrectAnswerOnTheDayCountsForStreakAndLevel()
    {
        var learner = Subscribed();
        var question = Deliver(learner, MondayMorning, "q1");

        var outcome = learner.Answer(Tap(question, MondayMorning, correct: true), MondayMorning.AddHours(1));

        Assert.Equal(AnswerStatus.Counted, outcome.Status);
        Assert.True(outcome.IsCorrect);
        Assert.Equal(1, outcome.Streak);
        Assert.Equal(1, learner.State.CorrectInARow);
        Assert.Equal(MondayMorning.AddDays(1), outcome.NextDelivery);
    }

    [Fact]
    public void LateAnswerShowsTheExplanationButChangesNeitherStreakNorLevel()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));
        var tuesday = Deliver(learner, MondayMorning.AddDays(1), "q2");

        var outcome = learner.Answer(Tap(tuesday, MondayMorning.AddDays(1), correct: false), MondayMorning.AddDays(2).AddHours(-1).AddMinutes(30));

        Assert.Equal(AnswerStatus.Late, outcome.Status);
        Assert.Equal(tuesday.Id, learner.State.LastAnswer!.QuestionId);
        Assert.Equal(Level.Intermediate, learner.State.Level);
        Assert.Equal(2, learner.State.Answered);
        Assert.True(learner.State.LastAnswer!.IsLate);
        Assert.DoesNotContain(learner.State.RecentEvents, e => e.Cause == ProgressEvents.CauseWrongAnswer);
    }

    [Fact]
    public void UnansweredDayResetsTheStreakWhenTheDayIsOver()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));
        Deliver(learner, MondayMorning.AddDays(1), "q2");

        Assert.Equal(1, learner.Stats(MondayMorning.AddDays(1).AddHours(13)).Streak);
        Assert.True(learner.SettleEndedDays(MondayMorning.AddDays(2)));

        Assert.Equal(0, learner.State.Streak);
        Assert.Equal(Level.Intermediate, learner.State.Level);
        var reset = Assert.Single(learner.State.RecentEvents);
        Assert.Equal((ProgressEvents.StreakReset, ProgressEvents.CauseSkippedDay), (reset.Kind, reset.Cause));
        Assert.False(learner.SettleEndedDays(MondayMorning.AddDays(3)));
    }

    [Fact]
    public void DayWithoutADeliveryDoesNotBreakTheStreak()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));

        var wednesday = Deliver(learner, MondayMorning.AddDays(2), "q2");
        var outcome = learner.Answer(Tap(wednesday, MondayMorning.AddDays(2), correct: true), MondayMorning.AddDays(2).AddHours(1));

        Assert.Equal(2, outcome.Streak);
    }

    [Fact]
    public void WrongAnswerDemotesResetsStreakAndRecordsBoth()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));
        var tuesday = Deliver(learner, MondayMorning.AddDays(1), "q2");

        var outcome = learner.Answer(Tap(tuesday, MondayMorning.AddDays(1), correct: false), MondayMorning.AddDays(1).AddHours(1));

        Assert.Equal((Level.Beginner, LevelChange.Demoted, 0), (outcome.Level, outcome.LevelChange, outcome.Streak));
        Assert.Equal(
            [(ProgressEvents.Demoted, ProgressEvents.CauseWrongAnswer), (ProgressEvents.StreakReset, ProgressEvents.CauseWrongAnswer)],
            learner.State.RecentEvents.Select(e => (e.Kind, e.Cause)));
    }

    [Fact]
    public void SecondTapAndRedeliveredUpdateChangeNothing()
    {
        var learner = Subscribed();
        var question = Deliver(learner, MondayMorning, "q1");
        var tap = Tap(question, MondayMorning, correct: true);
        learner.Answer(tap, MondayMorning.AddHours(1));

        var redelivered = learner.Answer(tap, MondayMorning.AddHours(1));
        var secondTap = learner.Answer(tap with { UpdateId = tap.UpdateId + 1, Choice = (tap.Choice + 1) % 4 }, MondayMorning.AddHours(1));

        Assert.Equal(AnswerStatus.Duplicate, redelivered.Status);
        Assert.Equal(AnswerStatus.AlreadyAnswered, secondTap.Status);
        Assert.Equal((1, 1, 1), (learner.State.Answered, learner.State.Correct, learner.State.Streak));
    }

    [Fact]
    public void UnknownOrForgedQuestionIsNotOpen()
    {
        var learner = Subscribed();
        Deliver(learner, MondayMorning, "q1");
        var day = learner.Today(MondayMorning);

        Assert.Equal(AnswerStatus.NotOpen, learner.Answer(new AnswerSubmission(5, "other", day, 0), MondayMorning).Status);
        Assert.Equal(AnswerStatus.NotOpen, learner.Answer(new AnswerSubmission(6, "q1", day.AddDays(-1), 0), MondayMorning).Status);
        Assert.Equal(AnswerStatus.NotOpen, learner.Answer(new AnswerSubmission(7, "q1", day, 9), MondayMorning).Status);
        Assert.Equal(0, learner.State.Answered);
    }

    [Fact]
    public void QuestionExpiresAfterTheLateAnswerWindow()
    {
        var learner = Subscribed();
        var question = Deliver(learner, MondayMorning, "q1");

        var outcome = learner.Answer(Tap(question, MondayMorning, correct: true), MondayMorning.AddDays(Learner.LateAnswerDays + 1));

        Assert.Equal(AnswerStatus.NotOpen, outcome.Status);
    }

    [Fact]
    public void TopicCountsTrackAskedAnsweredAndCorrect()
    {
        var learner = Subscribed();
        var q1 = Deliver(learner, MondayMorning, "q1", "Streaming");
        learner.Answer(Tap(q1, MondayMorning, correct: true), MondayMorning.AddHours(1));
        var q2 = Deliver(learner, MondayMorning.AddDays(1), "q2", "Streaming");
        learner.Answer(Tap(q2, MondayMorning.AddDays(1), correct: false), MondayMorning.AddDays(1).AddHours(1));
        Deliver(learner, MondayMorning.AddDays(2), "q3", "Orchestration");

        var stats = learner.Stats(MondayMorning.AddDays(2));

        Assert.Equal(
            [new TopicStats("Orchestration", 1, 0, 0), new TopicStats("Streaming", 2, 2, 1)],
            stats.Topics.AsEnumerable());
    }

    [Fact]
    public void DeliveryIsDueOncePerLocalDayAtTheDeliveryTime()
    {
        var learner = Subscribed();
        // 09:00 in Tokyo is 00:00 UTC.
        var beforeNine = new DateTimeOffset(2026, 3, 2, 23, 30, 0, TimeSpan.Zero);
        Assert.True(learner.TrySetSchedule(new TimeOnly(9, 0), "Asia/Tokyo", beforeNine));
        Assert.Equal(DeliveryStatus.NotDue, learner.WhyNotDeliver(beforeNine, evenBeforeDeliveryTime: false));
        Assert.Null(learner.WhyNotDeliver(beforeNine, evenBeforeDeliveryTime: true));
        Assert.Null(learner.WhyNotDeliver(beforeNine.AddHours(1), evenBeforeDeliveryTime: false));

        Deliver(learner, beforeNine.AddHours(1), "q1");
        Assert.Equal(DeliveryStatus.AlreadySent, learner.WhyNotDeliver(beforeNine.AddHours(5), evenBeforeDeliveryTime: false));
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero), learner.NextDelivery(beforeNine.AddHours(5)));
    }

    [Fact]
    public void StoppedLearnerGetsNoQuestionAndKeepsProgress()
    {
        var learner = Subscribed();
        var question = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(question, MondayMorning, correct: true), MondayMorning.AddHours(1));

        learner.Unsubscribe();

        Assert.Equal(DeliveryStatus.Inactive, learner.WhyNotDeliver(MondayMorning.AddDays(1), evenBeforeDeliveryTime: true));
        Assert.Equal(1, learner.State.Streak);
        Assert.False(learner.Subscribe(42, new Subscription(42, "en")));
        Assert.True(learner.State.IsActive);
    }

    [Fact]
    public void UnansweredDayBreaksTheRowOfCorrectAnswers()
    {
        // Correct, correct, a delivered day left unanswered, a late wrong answer to it, correct: a row of one.
        var learner = Subscribed();
        var first = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(first, MondayMorning, correct: true), MondayMorning.AddHours(1));
        var second = Deliver(learner, MondayMorning.AddDays(1), "q2");
        learner.Answer(Tap(second, MondayMorning.AddDays(1), correct: true), MondayMorning.AddDays(1).AddHours(1));
        var unanswered = Deliver(learner, MondayMorning.AddDays(2), "q3");
        var fourth = Deliver(learner, MondayMorning.AddDays(3), "q4");
        Assert.Equal(AnswerStatus.Late, learner.Answer(Tap(unanswered, MondayMorning.AddDays(2), correct: false), MondayMorning.AddDays(3).AddHours(1)).Status);

        var outcome = learner.Answer(Tap(fourth, MondayMorning.AddDays(3), correct: true), MondayMorning.AddDays(3).AddHours(2));

        Assert.Equal((LevelChange.None, Level.Intermediate, 1, 1), (outcome.LevelChange, outcome.Level, learner.State.CorrectInARow, outcome.Streak));
    }

    [Fact]
    public void LateAnswerNeitherExtendsNorBreaksTheRow()
    {
        var learner = Subscribed();
        var unanswered = Deliver(learner, MondayMorning, "q1");
        var tuesday = Deliver(learner, MondayMorning.AddDays(1), "q2");
        learner.Answer(Tap(tuesday, MondayMorning.AddDays(1), correct: true), MondayMorning.AddDays(1).AddHours(1));

        learner.Answer(Tap(unanswered, MondayMorning, correct: false), MondayMorning.AddDays(1).AddHours(2));
        Assert.Equal((1, 1), (learner.State.CorrectInARow, learner.State.Streak));
        var wednesday = Deliver(learner, MondayMorning.AddDays(2), "q3");
        learner.Answer(Tap(wednesday, MondayMorning.AddDays(2), correct: true), MondayMorning.AddDays(2).AddHours(1));
        var thursday = Deliver(learner, MondayMorning.AddDays(3), "q4");
        var outcome = learner.Answer(Tap(thursday, MondayMorning.AddDays(3), correct: true), MondayMorning.AddDays(3).AddHours(1));

        Assert.Equal((LevelChange.Promoted, Level.Advanced), (outcome.LevelChange, outcome.Level));
    }

    [Fact]
    public void MovingEastPastMidnightKeepsTodaysQuestionOnTime()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));
        var tuesday = Deliver(learner, MondayMorning.AddDays(1), "q2");

        // 22:00 UTC on Tuesday is 07:00 on Wednesday in Tokyo; Tuesday's question was sent for a UTC Tuesday.
        var lateEvening = MondayMorning.AddDays(1).AddHours(12);
        Assert.True(learner.TrySetSchedule(new TimeOnly(9, 0), "Asia/Tokyo", lateEvening));
        var outcome = learner.Answer(Tap(tuesday, MondayMorning.AddDays(1), correct: true), lateEvening.AddMinutes(30));

        Assert.Equal((AnswerStatus.Counted, 2), (outcome.Status, outcome.Streak));
        Assert.DoesNotContain(learner.State.RecentEvents, e => e.Kind == ProgressEvents.StreakReset);
        // Wednesday in Tokyo has had no question yet: 09:00 there, 00:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero), learner.NextDelivery(lateEvening.AddHours(1)));
    }

    [Fact]
    public void MovingEastPastMidnightStillEndsTheDayWhereItWasDelivered()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));
        Deliver(learner, MondayMorning.AddDays(1), "q2");

        Assert.True(learner.TrySetSchedule(new TimeOnly(9, 0), "Asia/Tokyo", MondayMorning.AddDays(1).AddHours(12)));

        Assert.False(learner.SettleEndedDays(MondayMorning.AddDays(1).AddHours(13).AddMinutes(59)));
        Assert.Equal(1, learner.State.Streak);
        Assert.True(learner.SettleEndedDays(MondayMorning.AddDays(1).AddHours(14)));
        Assert.Equal(0, learner.State.Streak);
    }

    [Fact]
    public void MovingWestKeepsTodaysQuestionOnTimeAndPromisesOnlyADeliveryThatHappens()
    {
        var learner = Subscribed();
        // 09:00 in Tokyo on Tuesday 3 March is 00:00 UTC.
        var tokyoNine = new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero);
        Assert.True(learner.TrySetSchedule(new TimeOnly(9, 0), "Asia/Tokyo", tokyoNine.AddHours(-1)));
        var question = Deliver(learner, tokyoNine, "q1");
        var tuesday = learner.Today(tokyoNine);

        // An hour later it is still Monday evening in New York.
        Assert.True(learner.TrySetSchedule(new TimeOnly(9, 0), "America/New_York", tokyoNine.AddHours(1)));
        var outcome = learner.Answer(TapOn(question, tuesday, correct: true), tokyoNine.AddHours(2));
        var next = learner.NextDelivery(tokyoNine.AddHours(2));

        Assert.Equal((AnswerStatus.Counted, 1), (outcome.Status, outcome.Streak));
        // Tuesday was delivered (in Tokyo), so the next date with a question is Wednesday, 09:00 in New York.
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 14, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(next, outcome.NextDelivery);
        Assert.Null(learner.WhyNotDeliver(next, evenBeforeDeliveryTime: false));
        Assert.Equal(DeliveryStatus.AlreadySent, learner.WhyNotDeliver(new DateTimeOffset(2026, 3, 3, 14, 0, 0, TimeSpan.Zero), evenBeforeDeliveryTime: false));
    }

    [Fact]
    public void TwoDaysOpenAfterAMoveEastSettleInTheirOrder()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        learner.Answer(Tap(monday, MondayMorning, correct: true), MondayMorning.AddHours(1));
        Deliver(learner, MondayMorning.AddDays(1), "q2");

        // At noon UTC on Tuesday it is already Wednesday 02:00 on Kiritimati (UTC+14): Wednesday's question goes out too.
        var noon = MondayMorning.AddDays(1).AddHours(2);
        Assert.True(learner.TrySetSchedule(new TimeOnly(1, 0), "Pacific/Kiritimati", noon));
        var wednesday = Deliver(learner, noon, "q3");
        learner.Answer(TapOn(wednesday, learner.Today(noon), correct: true), noon.AddMinutes(5));
        Assert.Equal(2, learner.State.Streak);

        // Tuesday (a UTC day) ends unanswered at midnight UTC, while Wednesday on Kiritimati is still open.
        Assert.True(learner.SettleEndedDays(MondayMorning.AddDays(1).AddHours(14)));

        Assert.Equal((0, 0), (learner.State.Streak, learner.State.CorrectInARow));
    }

    [Fact]
    public void AnswerAtTheInstantItsDayEndsIsLateAndAWeekLaterItIsClosed()
    {
        var learner = Subscribed();
        var monday = Deliver(learner, MondayMorning, "q1");
        var end = MondayMorning.AddHours(14);

        Assert.Equal(AnswerStatus.NotOpen, learner.Answer(Tap(monday, MondayMorning, correct: true), end.AddDays(Learner.LateAnswerDays)).Status);
        Assert.Equal(AnswerStatus.Late, learner.Answer(Tap(monday, MondayMorning, correct: true), end).Status);
        Assert.False(learner.HasEnded(learner.Today(MondayMorning), end.AddTicks(-1)));
        Assert.True(learner.HasEnded(learner.Today(MondayMorning), end));
        Assert.True(learner.HasEnded(learner.Today(MondayMorning).AddDays(-3), MondayMorning), "a day with no question has nothing left to send");
    }

    [Fact]
    public void QuestionsPastTheirLateWindowAreForgottenWhenTheNextIsRecorded()
    {
        var learner = Subscribed();
        Deliver(learner, MondayMorning, "q1");
        var tuesday = Deliver(learner, MondayMorning.AddDays(1), "q2");

        // Monday's window closes at the end of Monday plus seven days: 00:00 UTC on Tuesday the week after.
        var closed = MondayMorning.AddHours(14).AddDays(Learner.LateAnswerDays);
        learner.RecordDelivery(QuestionSelectorTests.Q("q3", "Streaming"), learner.Today(closed), closed, messageId: 3);

        Assert.Equal(["q2", "q3"], learner.State.OpenQuestions.Select(q => q.Question.Id));
        Assert.Equal(AnswerStatus.Late, learner.Answer(Tap(tuesday, MondayMorning.AddDays(1), correct: true), closed).Status);
    }

    [Fact]
    public void SendReceiptsAndTapsRecordTheMessageAndOnlyPendingQuestionsChange()
    {
        var learner = Subscribed();
        var day = learner.Today(MondayMorning);
        var question = QuestionSelectorTests.Q("q1", "Streaming");
        learner.RecordDelivery(question, day, MondayMorning, messageId: null);

        Assert.Null(learner.ConfirmDelivery(day.AddDays(-1), MondayMorning, 5));
        Assert.Equal(11, learner.ConfirmDelivery(day, MondayMorning, 11)!.MessageId);
        Assert.Equal(11, learner.ConfirmDelivery(day, MondayMorning, 12)!.MessageId);
        learner.CancelDelivery(day);
        learner.CancelDelivery(day.AddDays(-1));
        Assert.Equal(DeliveryStatus.AlreadySent, learner.WhyNotDeliver(MondayMorning, evenBeforeDeliveryTime: true));

        var tuesday = day.AddDays(1);
        learner.RecordDelivery(QuestionSelectorTests.Q("q2", "Streaming"), tuesday, MondayMorning.AddDays(1), messageId: null);
        var tapped = learner.State.OpenQuestions.Single(q => q.Day == tuesday);
        learner.Answer(new AnswerSubmission(900, "q2", tuesday, 0, MessageId: 77), MondayMorning.AddDays(1).AddHours(1));
        Assert.Equal(77, tapped.MessageId);
        learner.Answer(new AnswerSubmission(901, "q1", day, 0), MondayMorning.AddDays(1).AddHours(1));
        Assert.Equal(11, learner.State.OpenQuestions.Single(q => q.Day == day).MessageId);
    }

    [Fact]
    public void CancelledQuestionIsNoLongerAskedAndTheDayIsOpenAgain()
    {
        var learner = Subscribed();
        Deliver(learner, MondayMorning.AddDays(-1), "q0");
        Deliver(learner, MondayMorning, "q1");
        var tuesday = learner.Today(MondayMorning.AddDays(1));
        learner.RecordDelivery(QuestionSelectorTests.Q("q2", "Orchestration"), tuesday, MondayMorning.AddDays(1), messageId: null);

        learner.CancelDelivery(tuesday);

        Assert.Equal(learner.Today(MondayMorning), learner.State.LastDeliveredDay);
        Assert.DoesNotContain("q2", learner.State.Asked.Keys);
        Assert.Contains("q1", learner.State.Asked.Keys);
        Assert.DoesNotContain(learner.Stats(MondayMorning.AddDays(1)).Topics, t => t.Topic == "Orchestration");
        Assert.Null(learner.WhyNotDeliver(MondayMorning.AddDays(1), evenBeforeDeliveryTime: false));
    }

    [Fact]
    public void PromotionAndItsCauseAreRecorded()
    {
        var learner = Subscribed();
        for (var day = 0; day < 3; day++)
        {
            var question = Deliver(learner, MondayMorning.AddDays(day), $"q{day}");
            learner.Answer(Tap(question, MondayMorning.AddDays(day), correct: true), MondayMorning.AddDays(day).AddHours(1));
        }

        var promoted = Assert.Single(learner.State.RecentEvents);
        Assert.Equal((ProgressEvents.Promoted, ProgressEvents.CauseCorrectInARow, Level.Intermediate, Level.Advanced),
            (promoted.Kind, promoted.Cause, promoted.LevelBefore, promoted.LevelAfter));
    }

    [Fact]
    public void OnlyTheLatestUpdatesAndEventsAreKeptAndUpdateZeroIsNeverRemembered()
    {
        var learner = Subscribed();
        for (var i = 1; i <= 40; i++)
        {
            learner.Remember(i);
        }

        for (var day = 0; day < 40; day++)
        {
            var question = Deliver(learner, MondayMorning.AddDays(day), $"q{day}");
            learner.Answer(Tap(question, MondayMorning.AddDays(day), correct: day % 2 == 0), MondayMorning.AddDays(day).AddHours(1));
        }

        learner.Remember(0);

        Assert.Equal(32, learner.State.RecentUpdateIds.Count);
        Assert.DoesNotContain(0L, learner.State.RecentUpdateIds);
        Assert.False(learner.HasSeen(0));
        Assert.Equal(16, learner.State.RecentEvents.Count);
        Assert.Equal(learner.State.EventSequence, learner.State.RecentEvents[^1].Sequence);
    }

    [Fact]
    public void UnknownZoneChangesNothingAndResumingKeepsTheLanguage()
    {
        var learner = Subscribed();
        learner.Subscribe(42, new Subscription(42, null));

        Assert.False(learner.TrySetSchedule(new TimeOnly(8, 0), "Mars/Base", MondayMorning));
        Assert.Equal(("UTC", new TimeOnly(10, 0), "en"), (learner.State.TimeZoneId, learner.State.DeliveryTime, learner.State.LanguageCode));
        learner.Subscribe(42, new Subscription(42, "de"));
        Assert.Equal("de", learner.State.LanguageCode);
    }

    internal static Learner Subscribed()
    {
        var learner = new Learner(new LearnerState());
        Assert.True(learner.Subscribe(42, new Subscription(42, "en")));
        return learner;
    }

    internal static Question Deliver(Learner learner, DateTimeOffset at, string id, string topic = "Streaming")
    {
        var question = QuestionSelectorTests.Q(id, topic, learner.State.Level, correct: 2);
        learner.SettleEndedDays(at);
        Assert.Null(learner.WhyNotDeliver(at, evenBeforeDeliveryTime: true));
        learner.RecordDelivery(question, learner.Today(at), at, messageId: 1);
        return question;
    }

    private static long _updateId = 100;

    internal static AnswerSubmission TapOn(Question question, DateOnly day, bool correct) =>
        new(Interlocked.Increment(ref _updateId), question.Id, day, correct ? question.CorrectIndex : (question.CorrectIndex + 1) % 4);

    internal static AnswerSubmission Tap(Question question, DateTimeOffset deliveredAt, bool correct) =>
        new(Interlocked.Increment(ref _updateId), question.Id, DateOnly.FromDateTime(deliveredAt.UtcDateTime), correct ? question.CorrectIndex : (question.CorrectIndex + 1) % 4);
}
