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
    public static StreakCount AfterOnTimeAnswer(StreakCount streak, bool isCorrect) =>
        isCorrect
            ? new StreakCount(streak.Current + 1, Math.Max(streak.Best, streak.Current + 1))
            : streak with { Current = 0 };

    public static StreakCount AfterSkippedDay(StreakCount streak) => streak with { Current = 0 };
}
