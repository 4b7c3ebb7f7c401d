using Quiz.Rules;

namespace Quiz.Tests.Rules;

public sealed class QuestionSelectorTests
{
    private static readonly DateOnly Monday = new(2026, 3, 2);

    [Fact]
    public void ChoosesAnUnaskedQuestionFromTheLeastAskedTopic()
    {
        var bank = new[] { Q("a1", "A"), Q("a2", "A"), Q("b1", "B"), Q("b2", "B") };
        var asked = new Dictionary<string, DateOnly> { ["a1"] = Monday };
        var topics = Stats(("A", 1, 1, 1));

        for (var seed = 0; seed < 50; seed++)
        {
            var choice = QuestionSelector.Choose(bank, asked, topics, new Random(seed))!;
            Assert.Equal("B", choice.Question.Topic);
            Assert.False(choice.IsRepeat);
        }
    }

    [Fact]
    public void TiesOnAskedCountGoToTheWeakestTopic()
    {
        var bank = new[] { Q("a2", "A"), Q("b2", "B"), Q("c2", "C") };
        var asked = new Dictionary<string, DateOnly> { ["a1"] = Monday, ["b1"] = Monday, ["c1"] = Monday };
        var topics = Stats(("A", 1, 1, 1), ("B", 1, 1, 0), ("C", 2, 2, 0));

        for (var seed = 0; seed < 50; seed++)
        {
            Assert.Equal("b2", QuestionSelector.Choose(bank, asked, topics, new Random(seed))!.Question.Id);
        }
    }

    [Fact]
    public void WeakestTopicIsTheLowestShareOfCorrectAnswersAndATopicNeverAnsweredIsWeakest()
    {
        var bank = new[] { Q("a2", "A"), Q("b2", "B"), Q("c2", "C") };
        var asked = new Dictionary<string, DateOnly> { ["a1"] = Monday, ["b1"] = Monday, ["c1"] = Monday };

        // A: 3 of 3 right; B: 1 of 10 right; both asked as often.
        var ranked = Stats(("A", 10, 3, 3), ("B", 10, 10, 1));
        var neverAnswered = Stats(("A", 4, 4, 1), ("B", 4, 0, 0));

        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal("b2", QuestionSelector.Choose(bank[..2], asked, ranked, new Random(seed))!.Question.Id);
            Assert.Equal("b2", QuestionSelector.Choose(bank[..2], asked, neverAnswered, new Random(seed))!.Question.Id);
        }
    }

    [Fact]
    public void NeverRepeatsWhileAnUnaskedQuestionExists()
    {
        var bank = Enumerable.Range(0, 20).Select(i => Q($"q{i}", $"T{i % 3}")).ToList();
        var asked = new Dictionary<string, DateOnly>();
        var random = new Random(7);
        for (var day = 0; day < bank.Count; day++)
        {
            var choice = QuestionSelector.Choose(bank, asked, Stats(), random)!;
            Assert.False(choice.IsRepeat);
            Assert.DoesNotContain(choice.Question.Id, asked.Keys);
            asked[choice.Question.Id] = Monday.AddDays(day);
        }
    }

    [Fact]
    public void ExhaustedLevelFallsBackToTheLeastRecentlyAsked()
    {
        var bank = new[] { Q("a", "A"), Q("b", "A"), Q("c", "B") };
        var asked = new Dictionary<string, DateOnly> { ["a"] = Monday.AddDays(2), ["b"] = Monday, ["c"] = Monday.AddDays(1) };

        var choice = QuestionSelector.Choose(bank, asked, Stats(), new Random(1))!;

        Assert.Equal("b", choice.Question.Id);
        Assert.True(choice.IsRepeat);
    }

    [Fact]
    public void EmptyLevelGivesNoQuestion() =>
        Assert.Null(QuestionSelector.Choose([], new Dictionary<string, DateOnly>(), Stats(), new Random(1)));

    [Fact]
    public void SwitchedOffTopicsAreLeftOutUntilNothingElseIsLeftAtTheLevel()
    {
        var bank = new[] { Q("a1", "A"), Q("a2", "A"), Q("b1", "B") };
        var asked = new Dictionary<string, DateOnly> { ["a1"] = Monday };

        var choice = QuestionSelector.Choose(bank, asked, Stats(), new Random(1), topicsOff: ["B"]);
        var onlyOffLeft = QuestionSelector.Choose([Q("b1", "B")], asked, Stats(), new Random(1), topicsOff: ["B"]);
        var chosenExhausted = QuestionSelector.Choose(bank, new Dictionary<string, DateOnly> { ["a1"] = Monday, ["a2"] = Monday.AddDays(1) }, Stats(), new Random(1), topicsOff: ["B"]);

        Assert.Equal("a2", choice!.Question.Id);
        Assert.Equal("b1", onlyOffLeft!.Question.Id);
        Assert.Equal(("a1", true), (chosenExhausted!.Question.Id, chosenExhausted.IsRepeat));
    }

    internal static Question Q(string id, string topic, Level level = Level.Intermediate, int correct = 0) =>
        new(id, topic, level, $"Question {id}?", ["w", "x", "y", "z"], correct, "Because.", null);

    private static Dictionary<string, TopicStats> Stats(params (string Topic, int Asked, int Answered, int Correct)[] topics) =>
        topics.ToDictionary(t => t.Topic, t => new TopicStats(t.Topic, t.Asked, t.Answered, t.Correct));
}
