using Npgsql;

namespace Quiz.Silo;

/// <summary>
/// A silo's sweep over a table the state write keeps: every interval (a random half to one and a half of it, so that
/// the silos' sweeps do not coincide) it reads learners 1,000 at a time, oldest first, and calls each one's grain,
/// 16 at a time, so that the sweep itself never floods the silo it helps.
/// </summary>
public abstract partial class LearnerSweeper : BackgroundService
{
    protected const int BatchSize = 1000;

    private readonly NpgsqlDataSource _database;
    private readonly IGrainFactory _grains;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;

    protected LearnerSweeper(NpgsqlDataSource database, IGrainFactory grains, TimeSpan interval, ILogger logger)
    {
        _database = database;
        _grains = grains;
        _interval = interval;
        _logger = logger;
    }

    /// <summary>The query that names the learners to call, by their <c>learner_id</c>, with its parameters.</summary>
    protected abstract NpgsqlCommand Query(NpgsqlDataSource database);

    /// <summary>Calls one learner; returns whether that changed anything.</summary>
    protected abstract Task<bool> VisitAsync(IUserGrain learner);

    /// <summary>Says what a sweep that found <paramref name="found"/> learners did.</summary>
    protected abstract void Report(int found, int changed);

    /// <summary>Called after every batch, also one that found nobody.</summary>
    protected virtual void Swept(int found, int changed)
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_interval * (0.5 + Random.Shared.NextDouble()), stoppingToken);
            try
            {
                // A burst can leave tens of thousands behind: go on while whole batches come back and visits change
                // something (a batch of learners that no visit helps waits for the next interval).
                int found, changed;
                do
                {
                    (found, changed) = await SweepBatchAsync(stoppingToken);
                }
                while (found == BatchSize && changed > 0);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(_logger, GetType().Name, exception);
            }
        }
    }

    private async Task<(int Found, int Changed)> SweepBatchAsync(CancellationToken stoppingToken)
    {
        var learners = await FindAsync(stoppingToken);
        var changed = 0;
        await Parallel.ForEachAsync(learners, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken },
            async (id, _) =>
            {
                if (await VisitAsync(_grains.GetGrain<IUserGrain>(id)))
                {
                    Interlocked.Increment(ref changed);
                }
            });
        if (learners.Count > 0)
        {
            Report(learners.Count, changed);
        }

        Swept(learners.Count, changed);
        return (learners.Count, changed);
    }

    private async Task<List<long>> FindAsync(CancellationToken cancellationToken)
    {
        await using var command = Query(_database);
        var learners = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            learners.Add(reader.GetInt64(0));
        }

        return learners;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, string sweeper, Exception exception);
}
