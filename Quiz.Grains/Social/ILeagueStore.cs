using Quiz.Rules;

namespace Quiz.Social;

/// <summary>
/// The weekly leagues' members and settled results. With PostgreSQL they are tables (sql/180_quiz_leagues.sql) that
/// operators can read, and the standings are counted from the <c>answers</c> log; nothing on the answer path.
/// </summary>
public interface ILeagueStore
{
    /// <summary>
    /// Puts the learner in a league of the week, tier and level that has room, opening the next one when the last is
    /// full; a learner already in a league this week keeps it (and their new name).
    /// </summary>
    Task<LeagueKey> JoinAsync(DateOnly week, int tier, Level level, long learnerId, string displayName, CancellationToken cancellationToken);

    /// <summary>Takes the learner out of the league: they no longer appear in it, and are not settled with it.</summary>
    Task LeaveAsync(LeagueKey league, long learnerId, CancellationToken cancellationToken);

    /// <summary>The members with their right answers in the league's week so far.</summary>
    Task<IReadOnlyList<LeagueStanding>> StandingsAsync(LeagueKey league, CancellationToken cancellationToken);

    /// <summary>Stores the week's results unless they are stored already; true when this call stored them.</summary>
    Task<bool> SaveResultsAsync(LeagueKey league, IReadOnlyList<LeaguePlacement> placements, CancellationToken cancellationToken);

    /// <summary>The stored results, in place order, or null while the league is not settled.</summary>
    Task<IReadOnlyList<LeaguePlacement>?> ResultsAsync(LeagueKey league, CancellationToken cancellationToken);
}
