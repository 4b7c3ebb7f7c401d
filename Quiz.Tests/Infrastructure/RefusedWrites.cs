using Npgsql;

namespace Quiz.Tests.Infrastructure;

/// <summary>
/// Makes PostgreSQL itself refuse one grain's writes to an Orleans table (its reminder row, its state row) until
/// disposed: a real failure of a real statement, as a full server or a lost connection gives, for one grain only.
/// </summary>
public sealed class RefusedWrites : IAsyncDisposable
{
    private const string Setup = """
        create table if not exists test_refused_writes (table_name text not null, grain text not null);
        create or replace function test_refuse_write() returns trigger language plpgsql as $$
        declare
            written jsonb := to_jsonb(new);
        begin
            if exists (select 1 from test_refused_writes r
                       where r.table_name = tg_table_name
                         and r.grain in (written->>'grainid', written->>'grainidn0', written->>'grainidn1')) then
                raise exception 'write to % refused by the test', tg_table_name;
            end if;
            return new;
        end
        $$;
        drop trigger if exists test_refuse_write on orleansreminderstable;
        create trigger test_refuse_write before insert or update on orleansreminderstable
            for each row execute function test_refuse_write();
        drop trigger if exists test_refuse_write on orleansstorage;
        create trigger test_refuse_write before insert or update on orleansstorage
            for each row execute function test_refuse_write();
        """;

    private static readonly SemaphoreSlim Installing = new(1, 1);
    private static readonly HashSet<string> Installed = [];

    private readonly string _connectionString;
    private readonly string _table;
    private readonly string _grain;

    private RefusedWrites(string connectionString, string table, string grain)
    {
        _connectionString = connectionString;
        _table = table;
        _grain = grain;
    }

    /// <summary>Refuses every write of the reminder rows of <paramref name="grainId"/> (as the reminder table keys it).</summary>
    public static Task<RefusedWrites> RemindersOfAsync(string connectionString, string grainId) =>
        StartAsync(connectionString, "orleansreminderstable", grainId);

    /// <summary>Refuses every write of the state row of the learner <paramref name="learnerId"/>.</summary>
    public static Task<RefusedWrites> StateOfLearnerAsync(string connectionString, long learnerId) =>
        StartAsync(connectionString, "orleansstorage", learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync() =>
        await ExecuteAsync(_connectionString, "delete from test_refused_writes where table_name = @t and grain = @g", _table, _grain);

    private static async Task<RefusedWrites> StartAsync(string connectionString, string table, string grain)
    {
        await Installing.WaitAsync();
        try
        {
            if (Installed.Add(connectionString))
            {
                await ExecuteAsync(connectionString, Setup, table, grain);
            }
        }
        finally
        {
            Installing.Release();
        }

        await ExecuteAsync(connectionString, "insert into test_refused_writes (table_name, grain) values (@t, @g)", table, grain);
        return new RefusedWrites(connectionString, table, grain);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, string table, string grain)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@t", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("t", table);
            command.Parameters.AddWithValue("g", grain);
        }

        await command.ExecuteNonQueryAsync();
    }
}
