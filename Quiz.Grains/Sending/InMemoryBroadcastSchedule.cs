namespace Quiz.Sending;

/// <summary>
/// The broadcast schedule of the embedded mode, whose cluster is one silo: kept in this silo's memory.
/// </summary>
public sealed class InMemoryBroadcastSchedule : IBroadcastSchedule
{
    private readonly BroadcastPacing _pacing;
    private readonly QuizMetrics _metrics;
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly Lock _lock = new();
    private DateTimeOffset _nextSlot;

    public InMemoryBroadcastSchedule(BroadcastPacing pacing, QuizMetrics metrics)
    {
        _pacing = pacing;
        _metrics = metrics;
    }

    public Task<SlotLease> LeaseAsync(int wanted, CancellationToken cancellationToken)
    {
        SlotLease lease;
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (_nextSlot < now + BroadcastPacing.Lead)
            {
                _nextSlot = now + BroadcastPacing.Lead;
            }

            var grantable = (int)((now + BroadcastPacing.Horizon - _nextSlot).Ticks / _pacing.Spacing.Ticks);
            var count = Math.Clamp(Math.Min(wanted, _pacing.MaxPerLease), 0, Math.Max(0, grantable));
            lease = new SlotLease(_nextSlot, _pacing.Spacing, count, count > 0 ? _nextSlot : _nextSlot - BroadcastPacing.Horizon + _pacing.Spacing);
            _nextSlot += _pacing.Spacing * count;
        }

        _metrics.BroadcastSlotsGranted(lease.Count, lease.Count * _pacing.StarsPerSlot);
        return Task.FromResult(lease);
    }

    public Task PauseAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var until = _clock.GetUtcNow() + retryAfter;
            if (until > _nextSlot)
            {
                _nextSlot = until;
            }
        }

        return Task.CompletedTask;
    }
}
