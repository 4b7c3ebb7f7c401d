using System.Collections.Concurrent;
using Quiz.Progress;
using Quiz.Rules;

namespace Quiz.Social;

/// <summary>The leagues of embedded mode (no PostgreSQL): kept for the silo's lifetime, counted from the in-memory answer history.</summary>
public sealed class InMemoryLeagueStore : ILeagueStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(DateOnly Week, long LearnerId), (LeagueKey League, string Name, bool Left)> _members = [];
    private readonly Dictionary<(DateOnly Week, int Tier, Level Level), int> _joined = [];
    private readonly ConcurrentDictionary<LeagueKey, IReadOnlyList<LeaguePlacement>> _results = new();
    private readonly IAnswerHistory _history;

    public InMemoryLeagueStore(IAnswerHistory history)
    {
        _history = history;
    }

    public Task<LeagueKey> JoinAsync(DateOnly week, int tier, Level level, long learnerId, string displayName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_members.TryGetValue((week, learnerId), out var member))
            {
                _members[(week, learnerId)] = (member.League, displayName, false);
                return Task.FromResult(member.League);
            }

            var joined = _joined.GetValueOrDefault((week, tier, level)) + 1;
            _joined[(week, tier, level)] = joined;
            var league = new LeagueKey(week, tier, level, (joined - 1) / Leagues.MaxMembers);
            _members[(week, learnerId)] = (league, displayName, false);
            return Task.FromResult(league);
        }
    }

    public Task LeaveAsync(LeagueKey league, long learnerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_members.TryGetValue((league.Week, learnerId), out var member) && member.League == league)
            {
                _members[(league.Week, learnerId)] = member with { Left = true };
            }
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<LeagueStanding>> StandingsAsync(LeagueKey league, CancellationToken cancellationToken)
    {
        List<(long Id, string Name)> members;
        lock (_lock)
        {
            members = [.. _members.Where(m => m.Value.League == league && !m.Value.Left).Select(m => (m.Key.LearnerId, m.Value.Name))];
        }

        var start = new DateTimeOffset(league.Week.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = Leagues.EndOf(league.Week);
        var standings = new List<LeagueStanding>(members.Count);
        foreach (var (id, name) in members)
        {
            var right = (await _history.ReadAsync(id, league.Week.AddDays(-1), cancellationToken))
                .Where(a => a.IsCorrect && !a.IsLate && a.AnsweredAt >= start && a.AnsweredAt < end)
                .ToList();
            standings.Add(new LeagueStanding(id, name, right.Count, right.Count == 0 ? null : right.Max(a => a.AnsweredAt)));
        }

        return standings;
    }

    public Task<bool> SaveResultsAsync(LeagueKey league, IReadOnlyList<LeaguePlacement> placements, CancellationToken cancellationToken) =>
        Task.FromResult(_results.TryAdd(league, placements));

    public Task<IReadOnlyList<LeaguePlacement>?> ResultsAsync(LeagueKey league, CancellationToken cancellationToken) =>
        Task.FromResult(_results.TryGetValue(league, out var results) ? results : null);
}
