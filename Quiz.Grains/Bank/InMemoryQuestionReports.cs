using System.Collections.Concurrent;

namespace Quiz.Bank;

/// <summary>Reports kept in memory, for the embedded mode that has no database: they are lost when the silo stops.</summary>
public sealed class InMemoryQuestionReports : IQuestionReports
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, string?>> _reports = new();

    public Task<int> ReportAsync(long learnerId, string questionId, string? note, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var reporters = _reports.GetOrAdd(questionId, _ => new ConcurrentDictionary<long, string?>());
        reporters[learnerId] = note;
        return Task.FromResult(reporters.Count);
    }
}
