using System.Collections.Concurrent;
using Quiz.Progress;

namespace Quiz.Social;

/// <summary>The tops of embedded mode (no PostgreSQL), counted from the in-memory answer history when asked: a few learners.</summary>
public sealed class InMemoryLeaderboard : ILeaderboard
{
    private readonly ConcurrentDictionary<long, string> _members = new();
    private readonly IAnswerHistory _history;
    private readonly TimeProvider _time;

    public InMemoryLeaderboard(IAnswerHistory history, TimeProvider time)
    {
        _history = history;
        _time = time;
    }

    public Task JoinAsync(long learnerId, string displayName, CancellationToken cancellationToken)
    {
        _members[learnerId] = displayName;
        return Task.CompletedTask;
    }

    public Task LeaveAsync(long learnerId, CancellationToken cancellationToken)
    {
        _members.TryRemove(learnerId, out _);
        return Task.CompletedTask;
    }

    public async Task<Leaderboards> TopAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var week = Rules.Weeks.MondayOf(today);
        var month = new DateOnly(today.Year, today.Month, 1);
        var answers = new List<(long Id, string Name, DateOnly Day)>();
        foreach (var (id, name) in _members)
        {
            var since = week < month ? week : month;
            answers.AddRange((await _history.ReadAsync(id, since, cancellationToken)).Where(a => a.IsCorrect && !a.IsLate).Select(a => (id, name, a.Day)));
        }

        IReadOnlyList<LeaderboardEntry> Top(DateOnly since) => [.. answers.Where(a => a.Day >= since && a.Day <= today)
            .GroupBy(a => (a.Id, a.Name)).Select(g => (g.Key.Id, g.Key.Name, Correct: g.Count()))
            .OrderByDescending(s => s.Correct).ThenBy(s => s.Id).Take(10)
            .Select((s, i) => new LeaderboardEntry(i + 1, s.Name, s.Correct))];
        return new Leaderboards(Top(today), Top(week), Top(month));
    }
}
