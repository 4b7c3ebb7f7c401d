using Quiz.Rules;
using static Quiz.Tests.Rules.LearnerTests;

namespace Quiz.Tests.Rules;

public sealed class AchievementsTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheCatalogueHasEveryAchievementOnce()
    {
        Assert.Equal(1 + 4 + 2 + 1 + 1 + 9, Achievements.Catalogue.Count);
        Assert.Equal(Achievements.Catalogue.Count, Achievements.Catalogue.Distinct().Count());
    }

    [Fact]
    public void ProgressShowsWhatItHasReached()
    {
        var topics = Topics.All.ToDictionary(t => t, t => t == Topics.Streaming ? (20, 16) : (1, 0));

        var shown = Achievements.ShownBy(new AchievementProgress(1, 30, Level.Expert, topics, 7)).ToHashSet();

        Assert.Equal(
            ["first-correct", "streak-7", "streak-30", "level-advanced", "level-expert", "perfect-week", "all-topics", "mastery-streaming"],
            Achievements.Catalogue.Where(shown.Contains));
    }

    [Fact]
    public void MasteryOnceShownStaysEarnedWhenTheTopicsAccuracyFallsLater()
    {
        var day = new DateOnly(2026, 3, 2);
        var log = Enumerable.Range(0, 20).Select(i => new LoggedAnswer(day.AddDays(i), Topics.Streaming, true, false, false, i + 1, Level.Intermediate))
            .Concat(Enumerable.Range(20, 10).Select(i => new LoggedAnswer(day.AddDays(i), Topics.Streaming, false, true, false, 0, Level.Intermediate)));

        var earned = Achievements.FromLog(log);

        Assert.Contains("mastery-streaming", earned);
        Assert.Contains("perfect-week", earned);
        Assert.DoesNotContain("level-advanced", earned);
    }

    [Fact]
    public void AWrongOrLateDayBreaksThePerfectWeekAndReviewsCountForItButNotForTopics()
    {
        var day = new DateOnly(2026, 3, 2);
        LoggedAnswer Right(int offset, bool review = false) => new(day.AddDays(offset), Topics.Streaming, true, false, review, 1, Level.Intermediate);
        var broken = new[] { Right(0), Right(1), Right(2), new LoggedAnswer(day.AddDays(3), Topics.Streaming, false, false, false, 0, Level.Beginner), Right(4), Right(5), Right(6) };
        var withReviews = Enumerable.Range(0, 7).Select(i => Right(i, review: i % 2 == 1)).ToList();

        Assert.DoesNotContain("perfect-week", Achievements.FromLog(broken));
        Assert.Contains("perfect-week", Achievements.FromLog(withReviews));
        Assert.DoesNotContain("first-correct", Achievements.FromLog([Right(0, review: true)]));
    }

    [Fact]
    public void TheFirstRightAnswerIsAnnouncedOnceAndKeptWithItsDay()
    {
        var learner = Subscribed();
        var first = Deliver(learner, MondayMorning, "q1");
        var second = Deliver(learner, MondayMorning.AddDays(1), "q2");

        var announced = learner.Answer(Tap(first, MondayMorning, correct: true), MondayMorning.AddHours(1));
        var again = learner.Answer(Tap(second, MondayMorning.AddDays(1), correct: true), MondayMorning.AddDays(1).AddHours(1));

        Assert.Equal(["first-correct"], announced.Achievements.ToArray());
        Assert.Empty(again.Achievements);
        Assert.Equal(new DateOnly(2026, 3, 2), learner.State.Achievements!["first-correct"]);
        Assert.Equal((2, 2), (learner.State.LastAnswer!.StreakAfter, learner.State.Streak));
    }
}
