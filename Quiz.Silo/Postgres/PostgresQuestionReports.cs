using Microsoft.Extensions.Options;
using Npgsql;
using Quiz.Bank;

namespace Quiz.Silo.Postgres;

/// <summary>Reports in the <c>question_reports</c> table; <c>quiz_report_question</c> withdraws a question at the threshold.</summary>
public sealed class PostgresQuestionReports : IQuestionReports
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _threshold;

    public PostgresQuestionReports(NpgsqlDataSource dataSource, IOptions<QuestionBankOptions> options)
    {
        _dataSource = dataSource;
        _threshold = options.Value.ReportsToWithdraw;
    }

    public async Task<int> ReportAsync(long learnerId, string questionId, string? note, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("select quiz_report_question($1, $2, $3, $4, $5)");
        command.Parameters.AddWithValue(learnerId);
        command.Parameters.AddWithValue(questionId);
        command.Parameters.AddWithValue((object?)note ?? DBNull.Value);
        command.Parameters.AddWithValue(at.ToUniversalTime());
        command.Parameters.AddWithValue(_threshold);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
