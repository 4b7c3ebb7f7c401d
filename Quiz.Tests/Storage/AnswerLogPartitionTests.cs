namespace Quiz.Tests.Storage;

/// <summary>The answer log, partitioned by month of the question's day (sql/110_quiz_learners.sql).</summary>
public sealed class AnswerLogPartitionTests
{
    [Fact]
    public async Task AnswerOfAMonthWithoutPartitionWaitsInTheDefaultAndMovesWhenItsMonthIsCreated()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        await Database.ScalarAsync<int>(database, """
            insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at)
            values (7, 'dm-b-01', '2031-05-10', 1, true, false, 'Beginner', '2031-05-10T09:00:00Z') returning 1
            """);
        Assert.Equal("answers_default", await PartitionOfAsync(database));

        Assert.Equal(1, await Database.ScalarAsync<int>(database, "select quiz_ensure_answer_partitions('2031-05-20', 1)"));
        Assert.Equal(0, await Database.ScalarAsync<int>(database, "select quiz_ensure_answer_partitions('2031-05-01', 1)"));

        Assert.Equal("answers_y2031m05", await PartitionOfAsync(database));
        Assert.Equal(0L, await Database.ScalarAsync<long>(database, "select count(*) from answers_default"));
    }

    [Fact]
    public async Task SchemaKeepsMonthlyPartitionsTwoYearsAhead()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        var inTwoYears = DateTime.UtcNow.AddMonths(24);

        Assert.Equal("p", await Database.ScalarAsync<string>(database, "select relkind::text from pg_class where relname = 'answers'"));
        Assert.Equal($"answers_y{inTwoYears:yyyy}m{inTwoYears:MM}", await Database.ScalarAsync<string>(database, $"select coalesce(to_regclass('answers_y{inTwoYears:yyyy}m{inTwoYears:MM}')::text, 'missing')"));
    }

    [Fact]
    public async Task UpgradeMovesTheUnpartitionedLogIntoMonthsAndKeepsItsViews()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync(applySchema: false);
        // The answer log as sql/110_quiz_learners.sql created it before issue 10, with a row of a month long gone.
        await Database.ScalarAsync<int>(database, """
            create table answers (
                learner_id bigint not null, question_id text not null, question_day date not null,
                choice smallint not null check (choice between 0 and 3), is_correct boolean not null, is_late boolean not null,
                level text not null, answered_at timestamptz not null, update_id bigint,
                primary key (learner_id, question_id, question_day));
            create index answers_by_question on answers (question_id);
            insert into answers values (7, 'dm-b-01', '2024-02-29', 2, false, true, 'Beginner', '2024-03-01T09:00:00Z', 42);
            select 1
            """);

        await PostgresServer.ApplySchemaAsync(database);

        Assert.Equal("answers_y2024m02", await PartitionOfAsync(database));
        Assert.Equal(42L, await Database.ScalarAsync<long>(database, "select update_id from answers where learner_id = 7"));
        Assert.Equal("gone", await Database.ScalarAsync<string>(database, "select coalesce(to_regclass('answers_unpartitioned')::text, 'gone')"));
        Assert.Equal(1L, await Database.ScalarAsync<long>(database, "select answers from daily_question_stats where question_id = 'dm-b-01'"));
    }

    private static Task<string> PartitionOfAsync(string database) =>
        Database.ScalarAsync<string>(database, "select tableoid::regclass::text from answers where learner_id = 7");
}
