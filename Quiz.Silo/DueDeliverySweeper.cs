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
public sealed partial class DueDeliverySweeper : BackgroundService
{
    private const int BatchSize = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly string _serviceId;
    private readonly DeliveryOptions _options;
    private readonly ILogger<DueDeliverySweeper> _logger;

    public DueDeliverySweeper(
        NpgsqlDataSource database, IGrainFactory grains, TimeProvider time, IOptions<ClusterOptions> cluster, IOptions<DeliveryOptions> delivery, ILogger<DueDeliverySweeper> logger)
    {
        _database = database;
        _grains = grains;
        _time = time;
        _serviceId = cluster.Value.ServiceId;
        _options = delivery.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Spread over the interval, so that the silos' sweeps do not coincide.
            await Task.Delay(_options.DueSweepInterval * (0.5 + Random.Shared.NextDouble()), stoppingToken);
            try
            {
                var learners = await OverdueAsync(stoppingToken);
                var delivered = 0;
                await Parallel.ForEachAsync(learners, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken },
                    async (id, _) =>
                    {
                        if ((await _grains.GetGrain<IUserGrain>(id).DeliverDueQuestionAsync()).Status == DeliveryStatus.Sent)
                        {
                            Interlocked.Increment(ref delivered);
                        }
                    });
                if (learners.Count > 0)
                {
                    LogSwept(learners.Count, delivered);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception);
            }
        }
    }

    private async Task<List<long>> OverdueAsync(CancellationToken cancellationToken)
    {
        // The silo's clock, not the database's: the grains decide what is due by it.
        await using var command = _database.CreateCommand(
            "select learner_id from learner_due where serviceid = @service and due_at < @before order by due_at limit @limit");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("before", _time.GetUtcNow() - _options.DueSweepGrace);
        command.Parameters.AddWithValue("limit", BatchSize);
        var learners = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            learners.Add(reader.GetInt64(0));
        }

        return learners;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asked {Count} learners whose daily question was overdue; {Delivered} had lost their tick and got it now")]
    private partial void LogSwept(int count, int delivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due sweep failed; trying again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
