namespace Quiz.Rules;

/// <summary>A learner's level after an answer, with the count of correct answers in a row that led there.</summary>
public readonly record struct DifficultyStep(Level Level, int CorrectInARow, LevelChange Change);

/// <summary>
/// The difficulty ladder: three correct answers in a row move a learner up one level,
/// a wrong answer moves them down one. Beginner and Expert are the ends of the ladder.
/// The row counts on-time answers; a day the learner saw and left unanswered breaks it, a late answer does not touch it.
/// </summary>
public static class Difficulty
{
    public const Level StartingLevel = Level.Intermediate;
    public const int CorrectInARowToPromote = 3;

    public static DifficultyStep AfterAnswer(Level level, int correctInARow, bool isCorrect)
    {
        if (!isCorrect)
        {
            var lower = level == Level.Beginner ? level : level - 1;
            return new DifficultyStep(lower, 0, lower == level ? LevelChange.None : LevelChange.Demoted);
        }

        var count = correctInARow + 1;
        if (count < CorrectInARowToPromote)
        {
            return new DifficultyStep(level, count, LevelChange.None);
        }

        var higher = level == Level.Expert ? level : level + 1;
        return new DifficultyStep(higher, 0, higher == level ? LevelChange.None : LevelChange.Promoted);
    }

    /// <summary>The row after a delivered day went unanswered: broken, whatever it was.</summary>
    public static int AfterUnansweredDay(int correctInARow) => 0;
}
