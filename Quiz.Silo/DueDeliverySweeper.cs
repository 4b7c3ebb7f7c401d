using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Quiz.Learners;

namespace Quiz.Silo;

/// <summary>
/// Asks learners whose daily question has been due for longer than <see cref="DeliveryOptions.DueSweepGrace"/> and
/// is still not delivered (table <c>learner_due</c>, kept by the state write) to deliver it: their reminder tick was
/// lost, and the reminder would next fire tomorrow. Orleans drops a tick whose activation fails (a burst that runs
/// PostgreSQL out of connections, a silo that dies as it fires); this sweep is what keeps that from costing the day.
/// Every silo sweeps; a learner asked twice delivers once.
/// </summary>
public sealed partial class DueDeliverySweeper : LearnerSweeper
{
    private readonly TimeProvider _time;
    private readonly string _serviceId;
    private readonly TimeSpan _grace;
    private readonly ILogger<DueDeliverySweeper> _logger;
    private readonly QuizMetrics _metrics;

    public DueDeliverySweeper(
        NpgsqlDataSource database, IGrainFactory grains, TimeProvider time, IOptions<ClusterOptions> cluster, IOptions<DeliveryOptions> delivery, QuizMetrics metrics, ILogger<DueDeliverySweeper> logger)
        : base(database, grains, delivery.Value.DueSweepInterval, logger)
    {
        _metrics = metrics;
        _time = time;
        _serviceId = cluster.Value.ServiceId;
        _grace = delivery.Value.DueSweepGrace;
        _logger = logger;
    }

    protected override NpgsqlCommand Query(NpgsqlDataSource database)
    {
        // The silo's clock, not the database's: the grains decide what is due by it.
        var command = database.CreateCommand(
            "select learner_id from learner_due where serviceid = @service and due_at < @before order by due_at limit @limit");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("before", _time.GetUtcNow() - _grace);
        command.Parameters.AddWithValue("limit", BatchSize);
        return command;
    }

    protected override async Task<bool> VisitAsync(IUserGrain learner) =>
        (await learner.DeliverDueQuestionAsync()).Status == DeliveryStatus.Sent;

    protected override void Report(int found, int changed) => LogSwept(found, changed);

    // The sweep ends with this batch unless it was full and helped: what it read and could not deliver is still owed.
    protected override void Swept(int found, int changed) => _metrics.Overdue(found - changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asked {Count} learners whose daily question was overdue; {Delivered} had lost their tick and got it now")]
    private partial void LogSwept(int count, int delivered);
}
