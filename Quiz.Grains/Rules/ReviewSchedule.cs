namespace Quiz.Rules;

/// <summary>
/// When a question answered wrong comes back. Each such question is an FSRS memory (<see cref="Fsrs"/>): a wrong answer
/// starts it as "again", each review grades it good (right) or again (wrong), and it is due when FSRS expects recall
/// to have fallen to 90%. Still one question a day: a due review takes the day's place at most every other day, so new
/// material keeps coming; a question whose next interval passes <see cref="LearnedAfterDays"/> is learned and retires.
/// </summary>
public static class ReviewSchedule
{
    /// <summary>A question FSRS would next show after more than this many days is learned: it does not come back.</summary>
    public const int LearnedAfterDays = 90;

    /// <summary>Days from one review day to the next, at least: 2 is "at most every other day".</summary>
    public const int DaysBetweenReviewDays = 2;

    public static bool MayReviewOn(DateOnly today, DateOnly? lastReviewDay) =>
        lastReviewDay is not { } last || today.DayNumber - last.DayNumber >= DaysBetweenReviewDays;

    /// <summary>
    /// The memory after an answer on <paramref name="day"/>, and the day the question is due again (null: learned).
    /// Without an earlier <paramref name="memory"/>, this is the wrong answer that starts the schedule.
    /// </summary>
    public static (MemoryState Memory, DateOnly? Due) After(MemoryState? memory, DateOnly? lastReviewed, DateOnly day, bool isCorrect)
    {
        var grade = isCorrect ? Grade.Good : Grade.Again;
        var next = memory is { } known && lastReviewed is { } last
            ? Fsrs.Next(known, day.DayNumber - last.DayNumber, grade)
            : Fsrs.First(grade);
        var interval = Math.Max(1, (int)Math.Round(Fsrs.Interval(next.Stability)));
        return (next, interval > LearnedAfterDays ? null : day.AddDays(interval));
    }
}
