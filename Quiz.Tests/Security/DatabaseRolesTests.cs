using Npgsql;
using Quiz.Tests.Deploy;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Security;

/// <summary>Issue 13: the silos and the gateway connect with the least they need (sql/200_quiz_roles.sql).</summary>
public sealed class DatabaseRolesTests
{
    private const string PermissionDenied = "42501";

    [Fact]
    public async Task ASiloServesLearnersAsTheRuntimeRoleWhichCanNeitherChangeTheSchemaNorOrleansQueries()
    {
        var database = await RolesDatabaseAsync();
        var runtime = As(database, "quiz_runtime");
        await using (var cluster = await QuizTestCluster.StartAsync(connectionString: runtime))
        {
            var id = ClusterFixture.NewLearnerId();
            var user = cluster.Grains.GetGrain<IUserGrain>(id);
            await user.SubscribeAsync(new Subscription(id, "en"));
            var question = await cluster.Services.Sender.WaitForQuestionAsync(id);
            await user.AnswerAsync(new AnswerSubmission(0, question.Question.Id, question.Day, question.Question.CorrectIndex));

            Assert.Equal(1L, await Database.ScalarAsync<long>(runtime, "select count(*) from answers where learner_id = @id", ("id", id)));
        }

        Assert.Equal(PermissionDenied, await SqlStateAsync(runtime, "create table intruder (x integer)"));
        Assert.Equal(PermissionDenied, await SqlStateAsync(runtime, "update orleansquery set querytext = 'select 1'"));
    }

    [Fact]
    public async Task TheGatewayRoleReadsTheClusterMembershipAndNothingElse()
    {
        var gateway = As(await RolesDatabaseAsync(), "quiz_gateway");

        Assert.Equal(0L, await Database.ScalarAsync<long>(gateway, "select count(*) from orleansmembershiptable"));
        Assert.True(await Database.ScalarAsync<long>(gateway, "select count(*) from orleansquery") > 0);
        Assert.Equal(PermissionDenied, await SqlStateAsync(gateway, "select count(*) from orleansstorage"));
        Assert.Equal(PermissionDenied, await SqlStateAsync(gateway, "select count(*) from answers"));
        Assert.Equal(PermissionDenied, await SqlStateAsync(gateway,
            "insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at) values (1, 'q', current_date, 0, true, false, 'Beginner', now())"));
    }

    [Fact]
    public async Task TheSchemaScriptGivesTheRolesTheirLoginFromTheEnvironment()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync(applySchema: false);
        var csb = new NpgsqlConnectionStringBuilder(database);
        ExternalTool.Run("bash", [Path.Combine(RepositoryRoot.Path, "sql", "apply.sh"), $"postgresql://{csb.Username}@{csb.Host}:{csb.Port}/{csb.Database}"], RepositoryRoot.Path,
            new Dictionary<string, string?> { ["QUIZ_RUNTIME_PASSWORD"] = "runtime-password-from-env", ["QUIZ_GATEWAY_PASSWORD"] = "gateway-password-from-env" })
            .SucceededOutput();

        Assert.Equal("quiz_gateway quiz_runtime", await Database.ScalarAsync<string>(database,
            "select string_agg(rolname, ' ' order by rolname) from pg_authid where rolname like 'quiz\\_%' and rolcanlogin and rolpassword is not null"));
    }

    /// <summary>A database with the schema, whose roles may log in (the test server trusts loopback: no password is checked).</summary>
    private static async Task<string> RolesDatabaseAsync()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        Assert.Null(await SqlStateAsync(database, "alter role quiz_runtime login"));
        Assert.Null(await SqlStateAsync(database, "alter role quiz_gateway login"));
        return database;
    }

    private static string As(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Pooling = false }.ConnectionString;

    /// <summary>Runs <paramref name="sql"/>; null when it succeeds, else PostgreSQL's SQLSTATE.</summary>
    private static async Task<string?> SqlStateAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException exception)
        {
            return exception.SqlState;
        }
    }
}
