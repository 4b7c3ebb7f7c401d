using System.Collections.Immutable;
using System.Text.Json;
using Npgsql;
using Quiz.Bank;

namespace Quiz.Silo.Postgres;

/// <summary>The active questions of the <c>questions</c> table.</summary>
public sealed class PostgresQuestionSource : IQuestionSource
{
    private const string Columns = "id, topic, level, question, options, correct_index, explanation, reference, translations::text";
    private const string ActiveSql = $"select {Columns} from questions where status = 'active'";
    private const string ByIdSql = $"select {Columns} from questions where id = $1";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresQuestionSource(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IReadOnlyList<Question>> LoadActiveAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ActiveSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var questions = new List<Question>();
        while (await reader.ReadAsync(cancellationToken))
        {
            questions.Add(Read(reader));
        }

        return questions;
    }

    public async Task<Question?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ByIdSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static Question Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Enum.Parse<Level>(reader.GetString(2)),
        reader.GetString(3),
        [.. reader.GetFieldValue<string[]>(4)],
        reader.GetInt16(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        Translations(reader.GetString(8)));

    private static ImmutableDictionary<string, QuestionTranslation>? Translations(string json)
    {
        var entries = JsonSerializer.Deserialize<Dictionary<string, QuestionTranslationEntry>>(json);
        return entries is { Count: > 0 } ? entries.ToImmutableDictionary(e => e.Key, e => e.Value.ToTranslation(), StringComparer.Ordinal) : null;
    }
}
