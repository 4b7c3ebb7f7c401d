using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Quiz.Learners;

/// <summary>
/// Brings back, in this silo's memory, the daily ticks that failed. A tick that fails (the database refused a write in
/// a burst, the bank could not load) moves the learner's reminder to come back soon, but that move is a database write
/// too and can fail for the same reason; Orleans then waits for the reminder's next period, tomorrow. This service asks
/// the learner's grain for its due question again after the retry delay, as often as it takes, so that a learner loses
/// their day only if this silo dies in the same outage. The grain's delivery is idempotent: a retry that finds the
/// question sent does nothing.
/// </summary>
public sealed partial class FailedTickRetries : BackgroundService
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(500);

    private readonly PriorityQueue<long, DateTimeOffset> _due = new();
    private readonly HashSet<long> _waiting = [];
    private readonly IGrainFactory _grains;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger<FailedTickRetries> _logger;

    public FailedTickRetries(IGrainFactory grains, IOptions<DeliveryOptions> options, ILogger<FailedTickRetries> logger)
    {
        _grains = grains;
        _retryAfter = options.Value.RetryAfterFailedSend;
        _logger = logger;
    }

    /// <summary>Asks learner <paramref name="learnerId"/> for its due question again after <paramref name="delay"/>, once.</summary>
    public void Schedule(long learnerId, TimeSpan delay)
    {
        lock (_due)
        {
            if (_waiting.Add(learnerId))
            {
                _due.Enqueue(learnerId, DateTimeOffset.UtcNow + delay);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Resolution);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var learnerId in TakeDue())
            {
                try
                {
                    await _grains.GetGrain<IUserGrain>(learnerId).DeliverDueQuestionAsync();
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The grain schedules a retry when its delivery fails; when its activation fails (its state could
                    // not be read) nothing of it ran, so this schedules one (a second request is ignored).
                    LogRetryFailed(learnerId, exception.GetType().Name);
                    Schedule(learnerId, _retryAfter * (0.1 + (0.9 * Random.Shared.NextDouble())));
                }
            }
        }
    }

    private List<long> TakeDue()
    {
        var now = DateTimeOffset.UtcNow;
        var due = new List<long>();
        lock (_due)
        {
            while (_due.TryPeek(out var learnerId, out var at) && at <= now)
            {
                _due.Dequeue();
                _waiting.Remove(learnerId);
                due.Add(learnerId);
            }
        }

        return due;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId}: the retried daily tick failed again ({ExceptionType})")]
    private partial void LogRetryFailed(long learnerId, string exceptionType);
}
