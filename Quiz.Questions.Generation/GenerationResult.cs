using Quiz.Bank;

namespace Quiz.Generation;

/// <summary>
/// What one <see cref="QuestionGenerator.GenerateAsync"/> call produced: a question that passed the validator, or none and why.
/// <see cref="Outcome"/> is the last attempt's; <see cref="Problems"/> lists every failed attempt's reasons.
/// <see cref="Model"/>, <see cref="PromptVersion"/> and <see cref="GeneratedAt"/> are the provenance to keep with the question.
/// </summary>
public sealed record GenerationResult(
    QuestionFileEntry? Question,
    string Outcome,
    IReadOnlyList<string> Problems,
    string Model,
    string PromptVersion,
    DateTimeOffset GeneratedAt,
    int Attempts)
{
    public bool Succeeded => Question is not null;
}

/// <summary>The <c>outcome</c> tag of <c>quiz.questions.generated</c>: one per attempt, and one per call that made none.</summary>
public static class GenerationOutcomes
{
    public const string Ok = "ok";
    public const string Timeout = "timeout";
    public const string RateLimited = "rate-limited";
    public const string ServerError = "server-error";

    /// <summary>A refusal the server will repeat (400, 401, 403, 404...): not retried.</summary>
    public const string Error = "error";

    public const string InvalidJson = "invalid-json";
    public const string InvalidQuestion = "invalid-question";
    public const string Duplicate = "duplicate";
    public const string BudgetExhausted = "budget-exhausted";
    public const string Disabled = "disabled";
}
