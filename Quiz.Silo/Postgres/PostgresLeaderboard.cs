using Npgsql;
using Quiz.Social;

namespace Quiz.Silo.Postgres;

/// <summary>The opted-in learners and the tops that <see cref="LeaderboardRefresher"/> rebuilds every minute.</summary>
public sealed class PostgresLeaderboard : ILeaderboard
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresLeaderboard(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task JoinAsync(long learnerId, string displayName, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "insert into leaderboard_members (learner_id, display_name) values ($1, $2) on conflict (learner_id) do update set display_name = excluded.display_name");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = learnerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = displayName });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task LeaveAsync(long learnerId, CancellationToken cancellationToken)
    {
        // Gone from the tops at once, not at the next rebuild: /top never shows anyone who is not opted in.
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("delete from leaderboard_members where learner_id = $1") { Parameters = { new NpgsqlParameter<long> { TypedValue = learnerId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("delete from leaderboard_top where learner_id = $1") { Parameters = { new NpgsqlParameter<long> { TypedValue = learnerId } } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Leaderboards> TopAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("select period, rank, display_name, correct from leaderboard_top order by period, rank");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string Period, LeaderboardEntry Entry)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), new LeaderboardEntry(reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3))));
        }

        IReadOnlyList<LeaderboardEntry> Of(string period) => [.. rows.Where(r => r.Period == period).Select(r => r.Entry)];
        return new Leaderboards(Of("day"), Of("week"), Of("month"));
    }
}
