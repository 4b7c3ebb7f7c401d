using Npgsql;
using Quiz.Learners;
using Quiz.Progress;

namespace Quiz.Silo.Postgres;

/// <summary>A learner's answers from the <c>answers</c> log, which the state write appends; one index range per monthly partition.</summary>
public sealed class PostgresAnswerHistory : IAnswerHistory
{
    private const string Sql = """
        select a.question_day, a.is_correct, a.is_review, a.level, coalesce(q.topic, ''), a.is_late, a.answered_at
        from answers a left join questions q on q.id = a.question_id
        where a.learner_id = $1 and a.question_day >= $2
        order by a.question_day
        """;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresAnswerHistory(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IReadOnlyList<AnswerPoint>> ReadAsync(long learnerId, DateOnly since, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = learnerId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var points = new List<AnswerPoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(new AnswerPoint(
                reader.GetFieldValue<DateOnly>(0), reader.GetBoolean(1), reader.GetBoolean(2), Enum.Parse<Level>(reader.GetString(3)), reader.GetString(4), reader.GetBoolean(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return points;
    }

    /// <summary>Nothing to do: the state write that stored the answer appended it to the log in the same statement.</summary>
    public void Record(long learnerId, AnswerRecord answer, string topic)
    {
    }
}
