namespace Quiz;

/// <summary>
/// The cluster's one budget for bulk notifications (daily questions): hands out evenly spaced sending slots, so that
/// all silos together never exceed the configured rate in any second. See docs/sending.md.
/// </summary>
[Alias("quiz.broadcast-budget")]
public interface IBroadcastBudgetGrain : IGrainWithIntegerKey
{
    /// <summary>Leases up to <paramref name="wanted"/> slots, the next free ones; fewer (or none) when the budget is taken.</summary>
    [Alias("lease")]
    Task<SlotLease> LeaseAsync(int wanted);

    /// <summary>Grants no slot before <paramref name="retryAfter"/> has passed (Telegram answered 429).</summary>
    [Alias("pause")]
    Task PauseAsync(TimeSpan retryAfter);
}
