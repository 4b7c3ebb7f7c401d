using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Quiz.Learners;

namespace Quiz.Silo;

/// <summary>
/// Wakes learners whose outbox has owed messages for longer than <see cref="DeliveryOptions.OutboxSweepInterval"/>
/// (table <c>learner_outbox_pending</c>, kept by the state write): their silo stopped or crashed between the write and
/// the send. The woken grain hands what it owes to its own silo's sender; a grain that is sending already does nothing.
/// Every silo sweeps; a learner woken twice is sent to once.
/// </summary>
public sealed partial class OutboxSweeper : LearnerSweeper
{
    private readonly string _serviceId;
    private readonly TimeSpan _interval;
    private readonly ILogger<OutboxSweeper> _logger;

    public OutboxSweeper(NpgsqlDataSource database, IGrainFactory grains, IOptions<ClusterOptions> cluster, IOptions<DeliveryOptions> delivery, ILogger<OutboxSweeper> logger)
        : base(database, grains, delivery.Value.OutboxSweepInterval, logger)
    {
        _serviceId = cluster.Value.ServiceId;
        _interval = delivery.Value.OutboxSweepInterval;
        _logger = logger;
    }

    protected override NpgsqlCommand Query(NpgsqlDataSource database)
    {
        var command = database.CreateCommand(
            "select learner_id from learner_outbox_pending where serviceid = @service and since < now() - @age order by since limit @limit");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("age", _interval);
        command.Parameters.AddWithValue("limit", BatchSize);
        return command;
    }

    protected override async Task<bool> VisitAsync(IUserGrain learner)
    {
        await learner.ResumeOutboxAsync();
        return true;
    }

    protected override void Report(int found, int changed) => LogWoken(found);

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} learners whose outbox still owed messages")]
    private partial void LogWoken(int count);
}
