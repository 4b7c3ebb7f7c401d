using System.Collections.Immutable;

namespace Quiz;

/// <summary>What the bank needs to choose a learner's next question.</summary>
/// <param name="Level">The learner's level.</param>
/// <param name="Asked">Every question id this learner has been asked, with the day it was last asked.</param>
/// <param name="Topics">The learner's per-topic counts, to balance topics and favour weak ones.</param>
/// <param name="TopicsOff">The topics the learner switched off with <c>/topics</c>.</param>
[GenerateSerializer, Immutable]
[Alias("quiz.question-request")]
public sealed record QuestionRequest(
    [property: Id(0)] Level Level,
    [property: Id(1)] ImmutableDictionary<string, DateOnly> Asked,
    [property: Id(2)] ImmutableArray<TopicStats> Topics,
    [property: Id(3)] ImmutableArray<string> TopicsOff = default);

/// <summary>A chosen question, and whether it had to be a repeat because the level is exhausted.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.question-choice")]
public sealed record QuestionChoice(
    [property: Id(0)] Question Question,
    [property: Id(1)] bool IsRepeat);

/// <summary>Serves questions from the bank; one cached copy per silo, so no learner waits on a single activation.</summary>
[Alias("quiz.question-bank")]
public interface IQuestionBankGrain : IGrainWithIntegerKey
{
    /// <summary>Chooses the next question for a learner, or null when the level has no question at all.</summary>
    [Alias("choose")]
    Task<QuestionChoice?> ChooseAsync(QuestionRequest request);

    /// <summary>Returns how many active questions the bank holds per topic and level.</summary>
    [Alias("counts")]
    Task<ImmutableDictionary<string, int>> CountQuestionsAsync();
}
