using Microsoft.Extensions.Options;

namespace Quiz.Sending;

/// <summary>
/// The cluster's broadcast budget: one schedule of evenly spaced sending slots that every silo leases from, so the
/// silos together send at the configured rate and never above it in any second, however the learners are placed.
/// Each lease is at most half a second of slots and no slot is granted more than <see cref="Horizon"/> ahead, so a
/// silo with a longer queue cannot starve another: the budget goes to the silos in proportion to what they ask for.
/// Slots are instants on the system clock (silos are expected to run NTP-synchronised clocks), never the learners' clock.
/// </summary>
[GrainType("broadcast-budget")]
public sealed class BroadcastBudgetGrain : Grain, IBroadcastBudgetGrain
{
    /// <summary>How far ahead slots are granted; also how long leases of an earlier activation can still be in use.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Slots are spaced for 96 % of the rate: the margin (about 40 ms a second) absorbs a slot sent up to 10 ms late
    /// (<see cref="OutboundDispatcher.LateGuard"/>) and the jitter between here and Telegram, so that no 1-s window
    /// sees more than the rate.
    /// </summary>
    public const double Headroom = 0.96;

    /// <summary>The first slot of a lease lies at least this far ahead, so the lease reaches its silo before it.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly SendingOptions _options;
    private readonly QuizMetrics _metrics;
    private readonly TimeSpan _spacing;
    private readonly int _maxPerLease;
    private readonly double _starsPerSlot;
    private DateTimeOffset _nextSlot;

    public BroadcastBudgetGrain(IOptions<SendingOptions> options, QuizMetrics metrics)
    {
        _options = options.Value;
        _metrics = metrics;
        var slotsPerSecond = _options.BroadcastPerSecond * Headroom;
        _spacing = TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / slotsPerSecond));
        _maxPerLease = Math.Max(1, (int)Math.Ceiling(slotsPerSecond / 2));
        // Telegram bills 0.1 Stars for each paid-broadcast message above the free 30 a second.
        _starsPerSlot = _options.PaidBroadcast ? 0.1 * Math.Max(0, slotsPerSecond - SendingOptions.FreeBroadcastLimit) / slotsPerSecond : 0;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An earlier activation (on a silo that died) may have leased slots up to a horizon ahead: grant none before that.
        _nextSlot = _clock.GetUtcNow() + Horizon;
        _metrics.BroadcastLimit(_options.BroadcastPerSecond);
        return Task.CompletedTask;
    }

    public Task<SlotLease> LeaseAsync(int wanted)
    {
        var now = _clock.GetUtcNow();
        if (_nextSlot < now + Lead)
        {
            _nextSlot = now + Lead;
        }

        var grantable = (int)((now + Horizon - _nextSlot).Ticks / _spacing.Ticks);
        var count = Math.Clamp(Math.Min(wanted, _maxPerLease), 0, Math.Max(0, grantable));
        var lease = new SlotLease(_nextSlot, _spacing, count, count > 0 ? _nextSlot : _nextSlot - Horizon + _spacing, _options.PaidBroadcast);
        _nextSlot += _spacing * count;
        if (count > 0)
        {
            _metrics.BroadcastSlotsGranted(count, count * _starsPerSlot);
        }

        return Task.FromResult(lease);
    }

    public Task PauseAsync(TimeSpan retryAfter)
    {
        var until = _clock.GetUtcNow() + retryAfter;
        if (until > _nextSlot)
        {
            _nextSlot = until;
        }

        return Task.CompletedTask;
    }
}
