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
public sealed partial class OutboxSweeper : BackgroundService
{
    private const int BatchSize = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly IGrainFactory _grains;
    private readonly string _serviceId;
    private readonly TimeSpan _interval;
    private readonly ILogger<OutboxSweeper> _logger;

    public OutboxSweeper(NpgsqlDataSource database, IGrainFactory grains, IOptions<ClusterOptions> cluster, IOptions<DeliveryOptions> delivery, ILogger<OutboxSweeper> logger)
    {
        _database = database;
        _grains = grains;
        _serviceId = cluster.Value.ServiceId;
        _interval = delivery.Value.OutboxSweepInterval;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Spread over the interval, so that the silos' sweeps do not coincide.
            await Task.Delay(_interval * (0.5 + Random.Shared.NextDouble()), stoppingToken);
            try
            {
                var learners = await PendingAsync(stoppingToken);
                await Parallel.ForEachAsync(learners, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken },
                    async (id, _) => await _grains.GetGrain<IUserGrain>(id).ResumeOutboxAsync());
                if (learners.Count > 0)
                {
                    LogWoken(learners.Count);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception);
            }
        }
    }

    private async Task<List<long>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            "select learner_id from learner_outbox_pending where serviceid = @service and since < now() - @age order by since limit @limit");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("age", _interval);
        command.Parameters.AddWithValue("limit", BatchSize);
        var learners = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            learners.Add(reader.GetInt64(0));
        }

        return learners;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Count} learners whose outbox still owed messages")]
    private partial void LogWoken(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox sweep failed; it runs again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
