namespace Quiz.Rules;

/// <summary>What achievements are earned from: the learner's progress after an answer.</summary>
/// <param name="Correct">Right answers to new questions (reviews aside), on time or late.</param>
/// <param name="Streak">The streak after the answer.</param>
/// <param name="Level">The level after the answer.</param>
/// <param name="Topics">Answered and right new questions per topic.</param>
/// <param name="CorrectDaysInARow">Consecutive dates whose question was answered right on its day.</param>
public sealed record AchievementProgress(
    int Correct,
    int Streak,
    Level Level,
    IReadOnlyDictionary<string, (int Answered, int Correct)> Topics,
    int CorrectDaysInARow);

/// <summary>
/// The achievements, in one place: the first right answer; streaks of 7, 30, 100 and 365 days; each level above the
/// starting one reached (Advanced, Expert); mastery of a topic (at least 20 answered in it, at least 80% right); all
/// nine topics answered; a perfect week (seven dates in a row, each day's question answered right on its day). Each is
/// earned once, when the progress after an answer first shows it, and kept whatever happens later.
/// </summary>
public static class Achievements
{
    public const string FirstCorrect = "first-correct";
    public const string AllTopics = "all-topics";
    public const string PerfectWeek = "perfect-week";
    public const int MasteryAnswers = 20;
    public const double MasteryAccuracy = 0.8;

    public static IReadOnlyList<int> StreakDays { get; } = [7, 30, 100, 365];

    public static IReadOnlyList<Level> LevelsToReach { get; } = [Level.Advanced, Level.Expert];

    /// <summary>Every achievement, in the order <c>/achievements</c> lists them.</summary>
    public static IReadOnlyList<string> Catalogue { get; } =
    [
        FirstCorrect, .. StreakDays.Select(StreakOf), .. LevelsToReach.Select(LevelReached), PerfectWeek, AllTopics,
        .. Quiz.Topics.All.Select(Mastery),
    ];

    public static string StreakOf(int days) => $"streak-{days}";

    public static string LevelReached(Level level) => $"level-{level.ToString().ToLowerInvariant()}";

    public static string Mastery(string topic) => "mastery-" + topic.ToLowerInvariant().Replace(' ', '-');

    /// <summary>Every achievement that <paramref name="progress"/> shows.</summary>
    public static IEnumerable<string> ShownBy(AchievementProgress progress)
    {
        if (progress.Correct > 0)
        {
            yield return FirstCorrect;
        }

        foreach (var days in StreakDays.Where(d => progress.Streak >= d))
        {
            yield return StreakOf(days);
        }

        foreach (var level in LevelsToReach.Where(l => progress.Level >= l))
        {
            yield return LevelReached(level);
        }

        if (progress.CorrectDaysInARow >= 7)
        {
            yield return PerfectWeek;
        }

        if (Quiz.Topics.All.All(t => progress.Topics.TryGetValue(t, out var counts) && counts.Answered > 0))
        {
            yield return AllTopics;
        }

        foreach (var (topic, (answered, correct)) in progress.Topics)
        {
            if (answered >= MasteryAnswers && correct >= MasteryAccuracy * answered && Quiz.Topics.All.Contains(topic))
            {
                yield return Mastery(topic);
            }
        }
    }

    /// <summary>
    /// The achievements a learner's answer log shows, replaying it in order: the same set the answers earned as they
    /// came (a test checks it against stored learners).
    /// </summary>
    public static IReadOnlySet<string> FromLog(IEnumerable<LoggedAnswer> answers)
    {
        var earned = new HashSet<string>(StringComparer.Ordinal);
        var topics = new Dictionary<string, (int Answered, int Correct)>(StringComparer.Ordinal);
        var correct = 0;
        var run = 0;
        DateOnly? lastRightDay = null;
        foreach (var answer in answers)
        {
            if (!answer.IsReview)
            {
                var (answered, right) = topics.GetValueOrDefault(answer.Topic);
                topics[answer.Topic] = (answered + 1, right + (answer.IsCorrect ? 1 : 0));
                correct += answer.IsCorrect ? 1 : 0;
            }

            if (!answer.IsLate)
            {
                (run, lastRightDay) = CorrectDays(run, lastRightDay, answer.Day, answer.IsCorrect);
            }

            earned.UnionWith(ShownBy(new AchievementProgress(correct, answer.StreakAfter, answer.LevelAfter, topics, run)));
        }

        return earned;
    }

    /// <summary>The run of dates answered right on their day, after an on-time answer on <paramref name="day"/>.</summary>
    public static (int Run, DateOnly? LastRightDay) CorrectDays(int run, DateOnly? lastRightDay, DateOnly day, bool isCorrect) =>
        !isCorrect ? (0, null)
        : lastRightDay is { } last && last.AddDays(1) == day ? (run + 1, day)
        : (1, day);
}

/// <summary>One row of the answer log, as <see cref="Achievements.FromLog"/> reads it.</summary>
public sealed record LoggedAnswer(DateOnly Day, string Topic, bool IsCorrect, bool IsLate, bool IsReview, int StreakAfter, Level LevelAfter);
