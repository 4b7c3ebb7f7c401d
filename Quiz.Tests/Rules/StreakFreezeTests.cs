using Quiz.Rules;
using Quiz.Learners;
using static Quiz.Tests.Rules.LearnerTests;

namespace Quiz.Tests.Rules;

/// <summary>Streak freezes (issue 12): earned every 7th day of a streak, at most 2, spent on an unanswered day.</summary>
public sealed class StreakFreezeTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(7, 0, true)]
    [InlineData(14, 1, true)]
    [InlineData(14, 2, false)]
    [InlineData(6, 0, false)]
    [InlineData(0, 0, false)]
    public void AFreezeIsEarnedOnEverySeventhDayUpToTwoHeld(int streak, int held, bool earns) =>
        Assert.Equal(earns, Streak.EarnsFreeze(streak, held));

    [Fact]
    public void SeventhCorrectDayInARowEarnsAFreezeAndTheFourteenthASecondButNoMore()
    {
        var learner = Subscribed();
        var held = new List<int>();
        for (var day = 0; day < 21; day++)
        {
            var at = MondayMorning.AddDays(day);
            var question = Deliver(learner, at, $"q{day}");
            learner.Answer(Tap(question, at, correct: true), at.AddHours(1));
            held.Add(learner.State.Freezes);
        }

        Assert.Equal((0, 1, 1, 2, 2), (held[5], held[6], held[12], held[13], held[20]));
        Assert.Equal(2, learner.Stats(MondayMorning.AddDays(21)).FreezesHeld);
    }

    [Fact]
    public void UnansweredDaySpendsAFreezeAndTheStreakNeitherGrowsNorBreaks()
    {
        var learner = SevenDaysIn();
        learner.ForgetLogged();
        Deliver(learner, MondayMorning.AddDays(7), "skipped");

        learner.SettleEndedDays(MondayMorning.AddDays(8));
        var next = Deliver(learner, MondayMorning.AddDays(8), "next");
        learner.Answer(Tap(next, MondayMorning.AddDays(8), correct: true), MondayMorning.AddDays(8).AddHours(1));

        Assert.Equal((8, 0), (learner.State.Streak, learner.State.Freezes));
        var spent = learner.State.RecentEvents.First();
        Assert.Equal((ProgressEvents.FreezeSpent, ProgressEvents.CauseSkippedDay, 7, 7), (spent.Kind, spent.Cause, spent.StreakBefore, spent.StreakAfter));
    }

    [Fact]
    public void WithNoFreezeLeftTheUnansweredDayResetsTheStreakAsBefore()
    {
        var learner = SevenDaysIn();
        Deliver(learner, MondayMorning.AddDays(7), "skipped-1");
        learner.SettleEndedDays(MondayMorning.AddDays(8));
        Deliver(learner, MondayMorning.AddDays(8), "skipped-2");

        learner.SettleEndedDays(MondayMorning.AddDays(9));

        Assert.Equal((0, 0), (learner.State.Streak, learner.State.Freezes));
        Assert.Equal(ProgressEvents.StreakReset, learner.State.RecentEvents[^1].Kind);
    }

    [Fact]
    public void AFreezeDoesNotCoverAWrongAnswer()
    {
        var learner = SevenDaysIn();
        var wrong = Deliver(learner, MondayMorning.AddDays(7), "wrong");

        learner.Answer(Tap(wrong, MondayMorning.AddDays(7), correct: false), MondayMorning.AddDays(7).AddHours(1));

        Assert.Equal((0, 1), (learner.State.Streak, learner.State.Freezes));
    }

    private static Learner SevenDaysIn()
    {
        var learner = Subscribed();
        for (var day = 0; day < 7; day++)
        {
            var at = MondayMorning.AddDays(day);
            var question = Deliver(learner, at, $"q{day}");
            learner.Answer(Tap(question, at, correct: true), at.AddHours(1));
        }

        Assert.Equal((7, 1), (learner.State.Streak, learner.State.Freezes));
        Assert.Contains(learner.State.RecentEvents, e => e is { Kind: ProgressEvents.FreezeEarned, Cause: ProgressEvents.CauseSeventhDay, StreakAfter: 7 });
        return learner;
    }
}
