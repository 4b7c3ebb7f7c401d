using System.Collections.Concurrent;
using Quiz.Learners;

namespace Quiz.Progress;

/// <summary>The answer history of embedded mode (no PostgreSQL): kept for the silo's lifetime, as its grain state is.</summary>
public sealed class InMemoryAnswerHistory : IAnswerHistory
{
    private readonly ConcurrentDictionary<long, ConcurrentQueue<AnswerPoint>> _answers = new();

    public Task<IReadOnlyList<AnswerPoint>> ReadAsync(long learnerId, DateOnly since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AnswerPoint>>(
            _answers.TryGetValue(learnerId, out var answers) ? [.. answers.Where(a => a.Day >= since).OrderBy(a => a.Day)] : []);

    public void Record(long learnerId, AnswerRecord answer, string topic) =>
        _answers.GetOrAdd(learnerId, _ => new()).Enqueue(new AnswerPoint(answer.Day, answer.IsCorrect, answer.IsReview, answer.Level, topic, answer.IsLate, answer.AnsweredAt));
}
