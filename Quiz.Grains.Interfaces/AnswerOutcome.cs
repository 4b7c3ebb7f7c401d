using System.Collections.Immutable;

namespace Quiz;

/// <summary>How an answer was taken.</summary>
[GenerateSerializer]
[Alias("quiz.answer-status")]
public enum AnswerStatus
{
    /// <summary>An answer to the current day's question: it counts for streak and level.</summary>
    Counted = 0,

    /// <summary>An answer to an earlier day's question: explained, but streak and level are unchanged.</summary>
    Late = 1,

    /// <summary>This question was already answered; nothing changed.</summary>
    AlreadyAnswered = 2,

    /// <summary>No such open question for this learner (expired, forged or unknown); nothing changed.</summary>
    NotOpen = 3,

    /// <summary>The same Telegram update was processed before; nothing changed.</summary>
    Duplicate = 4,
}

/// <summary>Whether an answer moved the learner to another level.</summary>
[GenerateSerializer]
[Alias("quiz.level-change")]
public enum LevelChange
{
    None = 0,
    Promoted = 1,
    Demoted = 2,
}

/// <summary>
/// The result of an answer, with what the learner is told; <see cref="Toast"/> answers the tap. <see cref="ReviewOf"/>
/// is the day a reviewed question was first missed (null for a new question); <see cref="NextReview"/> the day the
/// question comes back for review, if it does.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("quiz.answer-outcome")]
public sealed record AnswerOutcome(
    [property: Id(0)] AnswerStatus Status,
    [property: Id(1)] Question? Question,
    [property: Id(2)] int Choice,
    [property: Id(3)] bool IsCorrect,
    [property: Id(4)] int Streak,
    [property: Id(5)] Level Level,
    [property: Id(6)] LevelChange LevelChange,
    [property: Id(7)] DateTimeOffset NextDelivery,
    [property: Id(8)] string? Toast = null,
    [property: Id(9)] DateOnly? ReviewOf = null,
    [property: Id(10)] DateOnly? NextReview = null,
    [property: Id(11)] ImmutableArray<string> Achievements = default);
