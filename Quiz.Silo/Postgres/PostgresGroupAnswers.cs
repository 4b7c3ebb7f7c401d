using Npgsql;
using Quiz.Groups;
using Quiz.Social;

namespace Quiz.Silo.Postgres;

/// <summary>The group answers in <c>group_answers</c> (sql/190_quiz_groups.sql).</summary>
public sealed class PostgresGroupAnswers : IGroupAnswers
{
    private const string Record = """
        with inserted as (
            insert into group_answers (chat_id, question_id, question_day, user_id, display_name, choice, is_correct, answered_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict do nothing
            returning choice
        )
        select true, choice from inserted
        union all
        select false, choice from group_answers
        where chat_id = $1 and question_day = $3 and question_id = $2 and user_id = $4 and not exists (select 1 from inserted)
        """;

    private const string Tally = """
        select choice, is_correct, display_name from group_answers
        where chat_id = $1 and question_day = $3 and question_id = $2
        order by answered_at, user_id
        """;

    private const string Top = """
        select period, display_name, correct from (
            select p.period, g.user_id, (array_agg(g.display_name order by g.answered_at desc))[1] as display_name,
                   count(*)::integer as correct,
                   row_number() over (partition by p.period order by count(*) desc, max(g.answered_at), g.user_id) as rank
            from (values ('day', $2::date), ('week', date_trunc('week', $2::date)::date), ('month', date_trunc('month', $2::date)::date)) p(period, since)
            join group_answers g on g.chat_id = $1 and g.is_correct and g.question_day between p.since and $2::date
            group by p.period, g.user_id
        ) ranked
        where rank <= 10
        order by period, rank
        """;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresGroupAnswers(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<(bool Recorded, int Choice)> RecordAsync(long chatId, GroupAnswer answer, bool isCorrect, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Record);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = chatId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = answer.QuestionId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = answer.Day });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = answer.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = answer.DisplayName });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)answer.Choice });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = isCorrect });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = answeredAt.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetInt16(1));
    }

    public async Task<GroupTally> TallyAsync(long chatId, string questionId, DateOnly day, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Tally);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = chatId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = questionId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var choices = new int[4];
        var right = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            choices[reader.GetInt16(0)]++;
            if (reader.GetBoolean(1))
            {
                right.Add(reader.GetString(2));
            }
        }

        return new GroupTally(choices, right);
    }

    public async Task<Leaderboards> TopAsync(long chatId, DateOnly today, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Top);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = chatId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = today });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string Period, string Name, int Correct)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        IReadOnlyList<LeaderboardEntry> Of(string period) => [.. rows.Where(r => r.Period == period).Select((r, i) => new LeaderboardEntry(i + 1, r.Name, r.Correct))];
        return new Leaderboards(Of("day"), Of("week"), Of("month"));
    }
}
