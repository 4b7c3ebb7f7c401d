using Npgsql;
using Quiz.Rules;
using Quiz.Social;

namespace Quiz.Silo.Postgres;

/// <summary>The leagues' members and results in sql/180_quiz_leagues.sql; standings counted from the answer log.</summary>
public sealed class PostgresLeagueStore : ILeagueStore
{
    private const string Standings = """
        select learner_id, display_name, correct, reached_at from league_standings
        where week = $1 and tier = $2 and level = $3 and number = $4
        """;

    private const string Results = """
        select learner_id, place, members, correct, move, next_tier from league_results
        where week = $1 and tier = $2 and level = $3 and number = $4
        order by place
        """;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresLeagueStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<LeagueKey> JoinAsync(DateOnly week, int tier, Level level, long learnerId, string displayName, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("select quiz_join_league($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = week });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)tier });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = level.ToString() });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = learnerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = displayName });
        var number = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new LeagueKey(week, tier, level, number);
    }

    public async Task LeaveAsync(LeagueKey league, long learnerId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "update league_members set left_at = now() where week = $1 and learner_id = $2 and tier = $3 and level = $4 and number = $5 and left_at is null");
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = league.Week });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = learnerId });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)league.Tier });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = league.Level.ToString() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = league.Number });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LeagueStanding>> StandingsAsync(LeagueKey league, CancellationToken cancellationToken)
    {
        await using var command = Of(league, Standings);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var standings = new List<LeagueStanding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            standings.Add(new LeagueStanding(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return standings;
    }

    public async Task<bool> SaveResultsAsync(LeagueKey league, IReadOnlyList<LeaguePlacement> placements, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One settlement a league: the first to lock its key writes the rows; any other finds them and writes nothing.
        await using (var lockLeague = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            lockLeague.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "league:" + league });
            await lockLeague.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var exists = new NpgsqlCommand(
            "select exists (select 1 from league_results where week = $1 and tier = $2 and level = $3 and number = $4)", connection, transaction))
        {
            AddKey(exists.Parameters, league);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            foreach (var (learnerId, result) in placements)
            {
                var insert = new NpgsqlBatchCommand("""
                    insert into league_results (week, tier, level, number, learner_id, place, members, correct, move, next_tier)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """);
                AddKey(insert.Parameters, league);
                insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = learnerId });
                insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.Place });
                insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.Members });
                insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = result.Correct });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = result.Move.ToString().ToLowerInvariant() });
                insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)result.NextTier });
                batch.BatchCommands.Add(insert);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<LeaguePlacement>?> ResultsAsync(LeagueKey league, CancellationToken cancellationToken)
    {
        await using var command = Of(league, Results);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var placements = new List<LeaguePlacement>();
        while (await reader.ReadAsync(cancellationToken))
        {
            placements.Add(new LeaguePlacement(reader.GetInt64(0), new LeagueResult(
                league, reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), Enum.Parse<LeagueMove>(reader.GetString(4), ignoreCase: true), reader.GetInt16(5))));
        }

        return placements.Count == 0 ? null : placements;
    }

    private NpgsqlCommand Of(LeagueKey league, string sql)
    {
        var command = _dataSource.CreateCommand(sql);
        AddKey(command.Parameters, league);
        return command;
    }

    private static void AddKey(NpgsqlParameterCollection parameters, LeagueKey league)
    {
        parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = league.Week });
        parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)league.Tier });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = league.Level.ToString() });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = league.Number });
    }
}
