using Npgsql;
using Quiz.Rules;
using Quiz.Silo.Postgres;

namespace Quiz.Tests.Storage;

/// <summary>The leagues' tables (sql/180_quiz_leagues.sql) through <see cref="PostgresLeagueStore"/>.</summary>
public sealed class LeagueStoreTests
{
    private static readonly DateOnly Week = new(2030, 1, 7);
    private static readonly DateTimeOffset Monday = new(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ThirtyJoinersFillALeagueAndTheThirtyFirstOpensTheNext()
    {
        await using var dataSource = NpgsqlDataSource.Create(await (await SharedPostgres.GetAsync()).CreateDatabaseAsync());
        var store = new PostgresLeagueStore(dataSource);

        var leagues = new List<LeagueKey>();
        for (var id = 1; id <= 31; id++)
        {
            leagues.Add(await store.JoinAsync(Week, 0, Level.Beginner, id, $"m{id}", CancellationToken.None));
        }

        var again = await store.JoinAsync(Week, 0, Level.Beginner, 5, "renamed", CancellationToken.None);
        var otherLevel = await store.JoinAsync(Week, 0, Level.Advanced, 100, "a", CancellationToken.None);

        Assert.Equal(Enumerable.Repeat(0, 30).Append(1), leagues.Select(l => l.Number));
        Assert.Equal(new LeagueKey(Week, 0, Level.Beginner, 0), again);
        Assert.Equal(0, otherLevel.Number);
        var first = await store.StandingsAsync(leagues[0], CancellationToken.None);
        Assert.Equal(30, first.Count);
        Assert.Equal("renamed", first.Single(s => s.LearnerId == 5).Name);
    }

    [Fact]
    public async Task StandingsCountRightAnswersOnTimeWithinTheUtcWeekAndLeaversDropOut()
    {
        var connection = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var store = new PostgresLeagueStore(dataSource);
        var league = await store.JoinAsync(Week, 1, Level.Intermediate, 1, "Ana", CancellationToken.None);
        await store.JoinAsync(Week, 1, Level.Intermediate, 2, "Bo", CancellationToken.None);
        await store.JoinAsync(Week, 1, Level.Intermediate, 3, "Cy", CancellationToken.None);
        await InsertAnswerAsync(dataSource, 1, "q1", Monday.AddHours(10), correct: true);
        await InsertAnswerAsync(dataSource, 1, "q2", Monday.AddDays(1).AddHours(10), correct: true);
        await InsertAnswerAsync(dataSource, 1, "q3", Monday.AddDays(2).AddHours(10), correct: false);
        await InsertAnswerAsync(dataSource, 1, "q4", Monday.AddDays(3).AddHours(10), correct: true, late: true);
        await InsertAnswerAsync(dataSource, 1, "q5", Monday.AddMinutes(-1), correct: true);
        await InsertAnswerAsync(dataSource, 1, "q6", Monday.AddDays(7), correct: true);
        await InsertAnswerAsync(dataSource, 2, "q1", Monday.AddDays(6).AddHours(23), correct: true);
        await InsertAnswerAsync(dataSource, 3, "q1", Monday.AddHours(1), correct: true);

        await store.LeaveAsync(league, 3, CancellationToken.None);
        var standings = (await store.StandingsAsync(league, CancellationToken.None)).OrderBy(s => s.LearnerId).ToList();

        Assert.Equal([(1L, 2, (DateTimeOffset?)Monday.AddDays(1).AddHours(10)), (2L, 1, Monday.AddDays(6).AddHours(23))],
            standings.Select(s => (s.LearnerId, s.Correct, s.ReachedAt)));
    }

    [Fact]
    public async Task ALeagueIsSettledOnceWhenTwoSettlementsRace()
    {
        await using var dataSource = NpgsqlDataSource.Create(await (await SharedPostgres.GetAsync()).CreateDatabaseAsync());
        var store = new PostgresLeagueStore(dataSource);
        var league = await store.JoinAsync(Week, 0, Level.Beginner, 1, "Ana", CancellationToken.None);
        await store.JoinAsync(Week, 0, Level.Beginner, 2, "Bo", CancellationToken.None);
        var first = Leagues.Settle(league, [new LeagueStanding(1, "Ana", 3, Monday), new LeagueStanding(2, "Bo", 1, Monday)]);
        var second = Leagues.Settle(league, [new LeagueStanding(1, "Ana", 0, null), new LeagueStanding(2, "Bo", 9, Monday)]);

        var stored = await Task.WhenAll(
            store.SaveResultsAsync(league, first, CancellationToken.None),
            store.SaveResultsAsync(league, second, CancellationToken.None));
        var results = await store.ResultsAsync(league, CancellationToken.None);

        Assert.Single(stored, s => s);
        Assert.NotNull(results);
        Assert.Equal(stored[0] ? first : second, results);
        Assert.Null(await store.ResultsAsync(league with { Number = 1 }, CancellationToken.None));
    }

    private static async Task InsertAnswerAsync(NpgsqlDataSource dataSource, long learnerId, string questionId, DateTimeOffset at, bool correct, bool late = false)
    {
        await using var command = dataSource.CreateCommand("""
            insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at)
            values ($1, $2, $3, 0, $4, $5, 'Intermediate', $6)
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = learnerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = questionId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = DateOnly.FromDateTime(at.UtcDateTime) });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = correct });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = late });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync();
    }
}
