namespace Quiz.Sending;

/// <summary>
/// The cluster's one schedule of broadcast slots, evenly spaced at <see cref="BroadcastPacing.SlotsPerSecond"/>, that
/// every silo's dispatcher leases from, so that all silos together never exceed Telegram:BroadcastPerSecond in any
/// second however the learners are placed. See docs/sending.md.
/// </summary>
public interface IBroadcastSchedule
{
    /// <summary>Leases up to <paramref name="wanted"/> of the next free slots; fewer, or none, when the next second is taken.</summary>
    Task<SlotLease> LeaseAsync(int wanted, CancellationToken cancellationToken);

    /// <summary>Grants no slot before <paramref name="retryAfter"/> has passed (Telegram answered 429).</summary>
    Task PauseAsync(TimeSpan retryAfter, CancellationToken cancellationToken);
}
