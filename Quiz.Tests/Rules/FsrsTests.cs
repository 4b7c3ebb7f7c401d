using Quiz.Rules;

namespace Quiz.Tests.Rules;

/// <summary>
/// FSRS-4.5 as published (https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm#fsrs-45). The
/// expected figures are the wiki's formulas with the default weights, evaluated separately (Python, double precision).
/// </summary>
public sealed class FsrsTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.7145)]
    [InlineData(120)]
    public void RecallFallsToNinetyPercentAfterStabilityDaysAndTheIntervalIsTheStability(double stability)
    {
        Assert.Equal(0.9, Fsrs.Retrievability(stability, stability), Tolerance);
        Assert.Equal(stability, Fsrs.Interval(stability), Tolerance);
        Assert.Equal(1.0, Fsrs.Retrievability(0, stability), Tolerance);
    }

    [Theory]
    [InlineData(Grade.Again, 0.4872, 7.6214)]
    [InlineData(Grade.Hard, 1.4003, 6.3916)]
    [InlineData(Grade.Good, 3.7145, 5.1618)]
    [InlineData(Grade.Easy, 13.8206, 3.9320)]
    public void FirstReviewTakesThePublishedInitialStabilityAndDifficulty(Grade grade, double stability, double difficulty)
    {
        var first = Fsrs.First(grade);

        Assert.Equal(stability, first.Stability, Tolerance);
        Assert.Equal(difficulty, first.Difficulty, Tolerance);
    }

    [Fact]
    public void RecallAfterAMissGrowsStabilityAsTheFormulaSays()
    {
        var next = Fsrs.Next(Fsrs.First(Grade.Again), elapsedDays: 1, Grade.Good);

        Assert.Equal(2.4225, next.Stability, 3);
        Assert.Equal(7.5452, next.Difficulty, 3);
    }

    [Fact]
    public void ForgettingShrinksStabilityAndRaisesDifficulty()
    {
        var known = Fsrs.First(Grade.Good);

        var lapse = Fsrs.Next(known, elapsedDays: 10, Grade.Again);

        Assert.Equal(1.7082, lapse.Stability, 3);
        Assert.Equal(6.9012, lapse.Difficulty, 3);
        Assert.True(lapse.Stability < known.Stability);
    }

    [Fact]
    public void AMissedQuestionAnsweredRightEachTimeComesBackAfterGrowingIntervalsUntilLearned()
    {
        var day = new DateOnly(2026, 3, 2);
        var (memory, due) = ReviewSchedule.After(null, null, day, isCorrect: false);
        var intervals = new List<int> { due!.Value.DayNumber - day.DayNumber };
        var last = day;
        while (due is { } next)
        {
            (memory, due) = ReviewSchedule.After(memory, last, next, isCorrect: true);
            if (due is { } after)
            {
                intervals.Add(after.DayNumber - next.DayNumber);
            }

            last = next;
        }

        Assert.Equal([1, 2, 6, 15, 37, 84], intervals);
    }

    [Fact]
    public void AReviewAnsweredWrongComesBackSoon()
    {
        var day = new DateOnly(2026, 3, 2);
        var (memory, _) = ReviewSchedule.After(null, null, day, isCorrect: false);
        (memory, var due) = ReviewSchedule.After(memory, day, day.AddDays(1), isCorrect: true);

        var (_, again) = ReviewSchedule.After(memory, day.AddDays(1), due!.Value, isCorrect: false);

        Assert.Equal(due.Value.AddDays(1), again);
    }

    [Theory]
    [InlineData(null, 0, true)]
    [InlineData(-1, 0, false)]
    [InlineData(-2, 0, true)]
    [InlineData(0, 0, false)]
    public void ReviewDaysComeAtMostEveryOtherDay(int? lastReviewOffset, int todayOffset, bool allowed)
    {
        var today = new DateOnly(2026, 3, 2).AddDays(todayOffset);
        DateOnly? last = lastReviewOffset is { } offset ? today.AddDays(offset) : null;

        Assert.Equal(allowed, ReviewSchedule.MayReviewOn(today, last));
    }
}
