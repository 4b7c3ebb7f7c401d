namespace Quiz;

/// <summary>A learner's report of a question: from its button, or <c>/report [note]</c> for their latest question.</summary>
/// <param name="QuestionId">The reported question; null means the learner's most recent one.</param>
/// <param name="Note">What the learner says is wrong, if anything.</param>
/// <param name="CallbackQueryId">The button tap to answer with a toast, if it came from a button.</param>
[GenerateSerializer, Immutable]
[Alias("quiz.question-report")]
public sealed record QuestionReport(
    [property: Id(0)] string? QuestionId,
    [property: Id(1)] string? Note,
    [property: Id(2)] string? CallbackQueryId);
