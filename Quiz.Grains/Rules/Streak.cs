namespace Quiz.Rules;

/// <summary>A streak and the best streak ever reached.</summary>
public readonly record struct StreakCount(int Current, int Best)
{
    public bool IsReset(StreakCount before) => Current == 0 && before.Current > 0;
}

/// <summary>
/// The streak counts local days on which the learner answered that day's question correctly, on that day.
/// A wrong answer or a day whose question went unanswered sets it back to zero.
/// </summary>
public static class Streak
{
    /// <summary>A freeze is earned on every 7th day of a streak (7, 14, 21...).</summary>
    public const int DaysPerFreeze = 7;

    /// <summary>At most this many freezes are held; one earned beyond it is not kept.</summary>
    public const int MaxFreezes = 2;

    /// <summary>Whether reaching <paramref name="streak"/> on an on-time correct answer earns a freeze for a learner holding <paramref name="held"/>.</summary>
    public static bool EarnsFreeze(int streak, int held) => streak > 0 && streak % DaysPerFreeze == 0 && held < MaxFreezes;

    /// <summary>
    /// Whether a delivered day left unanswered spends a freeze: only when there is a streak to keep and a freeze to
    /// spend. The streak then neither grows nor breaks that day; a wrong answer is not covered.
    /// </summary>
    public static bool SpendsFreeze(int streak, int held) => streak > 0 && held > 0;

    public static StreakCount AfterOnTimeAnswer(StreakCount streak, bool isCorrect) =>
        isCorrect
            ? new StreakCount(streak.Current + 1, Math.Max(streak.Best, streak.Current + 1))
            : streak with { Current = 0 };

    public static StreakCount AfterSkippedDay(StreakCount streak) => streak with { Current = 0 };
}
