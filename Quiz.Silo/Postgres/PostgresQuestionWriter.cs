using System.Text.Json;
using Npgsql;
using Quiz.Bank;

namespace Quiz.Silo.Postgres;

/// <summary>Stores generated questions in <c>questions</c> with their provenance (source, model, prompt version, time).</summary>
public sealed class PostgresQuestionWriter : IQuestionWriter
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresQuestionWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task AddGeneratedAsync(QuestionFileEntry question, string model, string promptVersion, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("select quiz_upsert_questions($1::jsonb, 'generated', $2, $3)");
        command.Parameters.AddWithValue(JsonSerializer.Serialize(new[] { question }));
        command.Parameters.AddWithValue(model);
        command.Parameters.AddWithValue(promptVersion);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
