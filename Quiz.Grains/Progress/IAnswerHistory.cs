using Quiz.Learners;

namespace Quiz.Progress;

/// <summary>One counted answer as the progress chart needs it.</summary>
public sealed record AnswerPoint(DateOnly Day, bool IsCorrect, bool IsReview, Level Level, string Topic, bool IsLate = false, DateTimeOffset AnsweredAt = default);

/// <summary>
/// A learner's counted answers over time. With PostgreSQL they are the <c>answers</c> log, which the state write appends
/// (110_quiz_learners.sql), so <see cref="Record"/> has nothing to do; in embedded mode they are kept here in memory.
/// </summary>
public interface IAnswerHistory
{
    /// <summary>The learner's answers to questions of <paramref name="since"/> and later, oldest first.</summary>
    Task<IReadOnlyList<AnswerPoint>> ReadAsync(long learnerId, DateOnly since, CancellationToken cancellationToken);

    /// <summary>Called once the state that holds <paramref name="answer"/> is stored.</summary>
    void Record(long learnerId, AnswerRecord answer, string topic);
}
