using Microsoft.Extensions.Options;
using Npgsql;
using Quiz.Bank;
using Quiz.Silo.Postgres;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Bank;

[Collection(ClusterCollection.Name)]
public sealed class QuestionReportsTests
{
    private readonly QuizTestCluster _cluster;

    public QuestionReportsTests(ClusterFixture fixture)
    {
        _cluster = fixture.Cluster;
    }

    [Fact]
    public async Task QuestionReportedByEnoughLearnersIsWithdrawnUntilReviewed()
    {
        var id = $"rep-{Guid.NewGuid():N}"[..20];
        await Database.ScalarAsync<int>(_cluster.ConnectionString, $$$"""
            select quiz_upsert_questions('[{"id": "{{{id}}}", "topic": "Streaming", "level": "Beginner", "question": "Reported question {{{id}}}?",
              "options": ["w", "x", "y", "z"], "correct": 1, "explanation": "Because."}]'::jsonb, 'imported')
            """);
        await using var dataSource = NpgsqlDataSource.Create(_cluster.ConnectionString);
        var reports = new PostgresQuestionReports(dataSource, Options.Create(new QuestionBankOptions { ReportsToWithdraw = 3 }));
        var at = DateTimeOffset.UtcNow;

        Assert.Equal(1, await reports.ReportAsync(1, id, "two answers fit", at, CancellationToken.None));
        Assert.Equal(1, await reports.ReportAsync(1, id, null, at, CancellationToken.None));
        Assert.Equal(2, await reports.ReportAsync(2, id, null, at, CancellationToken.None));
        Assert.Equal("active", await Status(id));
        Assert.Equal(3, await reports.ReportAsync(3, id, "typo", at, CancellationToken.None));

        Assert.Equal("withdrawn", await Status(id));
        Assert.Equal(3L, await Database.ScalarAsync<long>(_cluster.ConnectionString, "select reports from reported_questions where question_id = @id", ("id", id)));
        Assert.Equal("two answers fit", await Database.ScalarAsync<string>(_cluster.ConnectionString,
            "select note from question_reports where question_id = @id and learner_id = 1", ("id", id)));
    }

    [Fact]
    public async Task ARestoredQuestionNeedsAsManyNewReportsAsBeforeToBeWithdrawnAgain()
    {
        var id = await NewQuestionAsync();
        var reports = Reports(threshold: 3);
        var at = DateTimeOffset.UtcNow;
        for (var learner = 1; learner <= 3; learner++)
        {
            await reports.ReportAsync(learner, id, null, at, CancellationToken.None);
        }

        Assert.Equal("withdrawn", await Status(id));
        Assert.True(await new Quiz.Admin.QuestionStore(_cluster.ConnectionString).SetStatusAsync(id, "active", CancellationToken.None));

        Assert.Equal(1, await reports.ReportAsync(1, id, "again", at, CancellationToken.None));
        Assert.Equal(2, await reports.ReportAsync(4, id, null, at, CancellationToken.None));
        Assert.Equal("active", await Status(id));
        Assert.Equal(3, await reports.ReportAsync(5, id, null, at, CancellationToken.None));
        Assert.Equal("withdrawn", await Status(id));
    }

    [Fact]
    public async Task AFewAccountsCannotWithdrawAQuestionThatManyAnswered()
    {
        var id = await NewQuestionAsync();
        await Database.ScalarAsync<int>(_cluster.ConnectionString, """
            with inserted as (
                insert into answers (learner_id, question_id, question_day, choice, is_correct, is_late, level, answered_at)
                select 9000000 + n, @id, current_date, 1, true, false, 'Beginner', now() from generate_series(1, 100) n
                returning 1)
            select count(*)::integer from inserted
            """, ("id", id));
        var reports = Reports(threshold: 3);
        var at = DateTimeOffset.UtcNow;

        for (var learner = 1; learner <= 4; learner++)
        {
            await reports.ReportAsync(learner, id, null, at, CancellationToken.None);
        }

        Assert.Equal("active", await Status(id));
        Assert.Equal(5, await reports.ReportAsync(5, id, null, at, CancellationToken.None));
        Assert.Equal("withdrawn", await Status(id));
    }

    private PostgresQuestionReports Reports(int threshold) =>
        new(NpgsqlDataSource.Create(_cluster.ConnectionString), Options.Create(new QuestionBankOptions { ReportsToWithdraw = threshold }));

    private async Task<string> NewQuestionAsync()
    {
        var id = $"rep-{Guid.NewGuid():N}"[..20];
        await Database.ScalarAsync<int>(_cluster.ConnectionString, $$$"""
            select quiz_upsert_questions('[{"id": "{{{id}}}", "topic": "Streaming", "level": "Beginner", "question": "Reported question {{{id}}}?",
              "options": ["w", "x", "y", "z"], "correct": 1, "explanation": "Because."}]'::jsonb, 'imported')
            """);
        return id;
    }

    private Task<string> Status(string id) =>
        Database.ScalarAsync<string>(_cluster.ConnectionString, "select status from questions where id = @id", ("id", id));
}
