namespace Quiz.Social;

/// <summary>One line of a top 10: the place, the learner's Telegram first name and their right answers.</summary>
public sealed record LeaderboardEntry(int Rank, string Name, int Correct);

/// <summary>The tops of the day, the week (from Monday) and the month.</summary>
public sealed record Leaderboards(IReadOnlyList<LeaderboardEntry> Day, IReadOnlyList<LeaderboardEntry> Week, IReadOnlyList<LeaderboardEntry> Month);

/// <summary>
/// <c>/top</c>: who opted in, and the tops among them. With PostgreSQL the tops are rebuilt once a minute from the
/// answer log (sql/170_quiz_leaderboard.sql), never on the answer path and never by asking grains.
/// </summary>
public interface ILeaderboard
{
    Task JoinAsync(long learnerId, string displayName, CancellationToken cancellationToken);

    Task LeaveAsync(long learnerId, CancellationToken cancellationToken);

    Task<Leaderboards> TopAsync(CancellationToken cancellationToken);
}
