using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Quiz.Sending;

namespace Quiz.Silo.Postgres;

/// <summary>
/// The broadcast schedule in PostgreSQL (<c>broadcast_budget</c>, sql/150_quiz_broadcast_budget.sql): one row per
/// service, moved forward by each lease in one statement under the row's lock. The schedule is therefore one for the
/// cluster whatever happens to silos or grains (no activation to duplicate while silos join or leave, nothing to lose
/// when one dies). Its instants are the database server's clock, used as they are: silos and database are expected
/// to run NTP-synchronised clocks (a per-lease estimate of the offset from the round trip proved noisier than NTP).
/// </summary>
public sealed class PostgresBroadcastSchedule : IBroadcastSchedule
{
    private readonly NpgsqlDataSource _database;
    private readonly BroadcastPacing _pacing;
    private readonly QuizMetrics _metrics;
    private readonly string _serviceId;

    public PostgresBroadcastSchedule(NpgsqlDataSource database, BroadcastPacing pacing, QuizMetrics metrics, IOptions<ClusterOptions> cluster)
    {
        _database = database;
        _pacing = pacing;
        _metrics = metrics;
        _serviceId = cluster.Value.ServiceId;
    }

    public async Task<SlotLease> LeaseAsync(int wanted, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            "select first_slot, granted, retry_at from quiz_lease_broadcast_slots(@service, @wanted, @spacing, @horizon, @lead)");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("wanted", Math.Min(wanted, _pacing.MaxPerLease));
        command.Parameters.AddWithValue("spacing", _pacing.Spacing);
        command.Parameters.AddWithValue("horizon", BroadcastPacing.Horizon);
        command.Parameters.AddWithValue("lead", BroadcastPacing.Lead);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = reader.GetInt32(1);
        _metrics.BroadcastSlotsGranted(count, count * _pacing.StarsPerSlot);
        return new SlotLease(reader.GetFieldValue<DateTimeOffset>(0), _pacing.Spacing, count, reader.GetFieldValue<DateTimeOffset>(2));
    }

    public async Task PauseAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("select quiz_pause_broadcast_slots(@service, @retryAfter)");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("retryAfter", retryAfter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
