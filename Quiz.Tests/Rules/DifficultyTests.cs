using Quiz.Rules;

namespace Quiz.Tests.Rules;

public sealed class DifficultyTests
{
    [Fact]
    public void NewLearnerStartsAtIntermediate() => Assert.Equal(Level.Intermediate, Difficulty.StartingLevel);

    [Theory]
    [InlineData(Level.Beginner, Level.Intermediate)]
    [InlineData(Level.Intermediate, Level.Advanced)]
    [InlineData(Level.Advanced, Level.Expert)]
    public void ThirdCorrectAnswerInARowPromotesAndRestartsTheCount(Level from, Level to)
    {
        var first = Difficulty.AfterAnswer(from, 0, isCorrect: true);
        var second = Difficulty.AfterAnswer(first.Level, first.CorrectInARow, isCorrect: true);
        var third = Difficulty.AfterAnswer(second.Level, second.CorrectInARow, isCorrect: true);

        Assert.Equal(new DifficultyStep(from, 1, LevelChange.None), first);
        Assert.Equal(new DifficultyStep(from, 2, LevelChange.None), second);
        Assert.Equal(new DifficultyStep(to, 0, LevelChange.Promoted), third);
    }

    [Fact]
    public void ExpertStaysExpertAfterThreeCorrect() =>
        Assert.Equal(new DifficultyStep(Level.Expert, 0, LevelChange.None), Difficulty.AfterAnswer(Level.Expert, 2, isCorrect: true));

    [Theory]
    [InlineData(Level.Expert, Level.Advanced)]
    [InlineData(Level.Advanced, Level.Intermediate)]
    [InlineData(Level.Intermediate, Level.Beginner)]
    public void WrongAnswerDemotesAndClearsTheCount(Level from, Level to) =>
        Assert.Equal(new DifficultyStep(to, 0, LevelChange.Demoted), Difficulty.AfterAnswer(from, 2, isCorrect: false));

    [Fact]
    public void BeginnerStaysBeginnerAfterAWrongAnswer() =>
        Assert.Equal(new DifficultyStep(Level.Beginner, 0, LevelChange.None), Difficulty.AfterAnswer(Level.Beginner, 1, isCorrect: false));
}
