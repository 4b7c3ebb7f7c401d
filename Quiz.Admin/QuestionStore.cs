using System.Text.Json;
using Npgsql;
using Quiz.Bank;

namespace Quiz.Admin;

/// <summary>The <c>questions</c> table as the operator commands see it.</summary>
public sealed class QuestionStore
{
    private readonly string _connectionString;

    public QuestionStore(string connectionString)
    {
        _connectionString = connectionString;
    }

    public async Task<IReadOnlyList<QuestionFileEntry>> ReadAllAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "select id, topic, level, question, options, correct_index, explanation, reference from questions"
            + (activeOnly ? " where status = 'active'" : ""), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<QuestionFileEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new QuestionFileEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.GetInt16(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return entries;
    }

    /// <summary>Upserts by id in one transaction; returns how many rows were inserted or changed.</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<QuestionFileEntry> entries, string source, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select quiz_upsert_questions(@bank::jsonb, @source)", connection);
        command.Parameters.AddWithValue("bank", JsonSerializer.Serialize(entries));
        command.Parameters.AddWithValue("source", source);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Sets a question's status (active, retired, withdrawn); false when no such question exists.</summary>
    public async Task<bool> SetStatusAsync(string id, string status, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("update questions set status = @status, updated_at = now() where id = @id", connection, transaction);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("id", id);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        if (status == "active")
        {
            // The operator has looked at the reports: only new ones count towards withdrawing it again.
            await using var reviewed = new NpgsqlCommand("update question_reports set reviewed = true where question_id = @id", connection, transaction);
            reviewed.Parameters.AddWithValue("id", id);
            await reviewed.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
