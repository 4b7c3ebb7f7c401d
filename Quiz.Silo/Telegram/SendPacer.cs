using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Quiz.Sending;

namespace Quiz.Silo.Telegram;

/// <summary>
/// Keeps the cluster under <see cref="TelegramSendingOptions.MaxMessagesPerSecond"/>: each silo sends at most its share
/// (the limit divided by the active silos) in any one-second window, a fifth of which is kept for replies so that the
/// daily fan-out never makes a learner wait for feedback. Slots are also spaced evenly (one per 1/share of a second), so
/// that delivery jitter between here and the Bot API cannot bunch a second's worth into the next second.
/// A 429 pauses the silo's sending for its <c>retry_after</c>.
/// Pacing is about the Bot API's real-time window, so it runs on the system clock, not the learners' clock.
/// </summary>
public sealed class SendPacer
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>A tenth more than the window, so that a request delayed on its way cannot make a second look full.</summary>
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(1.1);

    private readonly IClusterMembershipService _membership;
    private readonly int _clusterLimit;
    private readonly TimeProvider _clock;
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly Lock _lock = new();
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _lastGrant = DateTimeOffset.MinValue;

    public SendPacer(IClusterMembershipService membership, IOptions<TelegramSendingOptions> options)
        : this(membership, options.Value.MaxMessagesPerSecond, TimeProvider.System)
    {
    }

    internal SendPacer(IClusterMembershipService membership, int clusterLimit, TimeProvider clock)
    {
        _membership = membership;
        _clusterLimit = clusterLimit;
        _clock = clock;
    }

    /// <summary>This silo's share of the cluster's limit, per second.</summary>
    public int SiloCapacity
    {
        get
        {
            var active = _membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
            return Math.Max(1, _clusterLimit / Math.Max(1, active));
        }
    }

    /// <summary>Waits for a sending slot; false when none came within <paramref name="maxWait"/>.</summary>
    public async Task<bool> WaitTurnAsync(MessageLane lane, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + maxWait;
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = _clock.GetUtcNow();
                while (_recent.Count > 0 && _recent.Peek() <= now - Window)
                {
                    _recent.Dequeue();
                }

                var capacity = SiloCapacity;
                var laneCapacity = lane == MessageLane.Reply || capacity < 2 ? capacity : capacity - Math.Max(1, capacity / 5);
                var spacedUntil = _lastGrant == DateTimeOffset.MinValue ? now : _lastGrant + Spacing / capacity;
                if (now >= _pausedUntil && now >= spacedUntil && _recent.Count < laneCapacity)
                {
                    _recent.Enqueue(now);
                    _lastGrant = now;
                    return true;
                }

                var windowFree = _recent.Count >= laneCapacity ? _recent.Peek() + Window : now;
                var until = new[] { _pausedUntil, spacedUntil, windowFree }.Max();
                wait = until > now ? until - now : TimeSpan.FromMilliseconds(5);
                if (now + wait > deadline)
                {
                    return false;
                }
            }

            // A little jitter so that waiters do not all wake in the same tick.
            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20)), _clock, cancellationToken);
        }
    }

    /// <summary>Stops this silo's sending until <paramref name="retryAfter"/> has passed (Telegram's 429).</summary>
    public void Pause(TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var until = _clock.GetUtcNow() + retryAfter;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }
}
