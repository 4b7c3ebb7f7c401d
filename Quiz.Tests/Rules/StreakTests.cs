using Quiz.Rules;

namespace Quiz.Tests.Rules;

public sealed class StreakTests
{
    [Fact]
    public void CorrectOnTimeAnswerAddsOneAndRaisesTheBest() =>
        Assert.Equal(new StreakCount(4, 4), Streak.AfterOnTimeAnswer(new StreakCount(3, 3), isCorrect: true));

    [Fact]
    public void BestStreakIsKeptWhenTheCurrentOneIsLower() =>
        Assert.Equal(new StreakCount(2, 7), Streak.AfterOnTimeAnswer(new StreakCount(1, 7), isCorrect: true));

    [Fact]
    public void WrongAnswerResetsTheStreakButNotTheBest() =>
        Assert.Equal(new StreakCount(0, 5), Streak.AfterOnTimeAnswer(new StreakCount(5, 5), isCorrect: false));

    [Fact]
    public void SkippedDayResetsTheStreak() =>
        Assert.Equal(new StreakCount(0, 9), Streak.AfterSkippedDay(new StreakCount(4, 9)));
}
