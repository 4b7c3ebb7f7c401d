namespace Quiz.Sending;

/// <summary>
/// Sending slots leased from the broadcast schedule: <paramref name="Count"/> instants on this silo's clock, the first
/// at <paramref name="FirstSlot"/> and each <paramref name="Spacing"/> after the one before. A silo sends at most one
/// broadcast per slot and lets a slot it missed go. With no slot granted, <paramref name="RetryAt"/> says when to ask again.
/// </summary>
public sealed record SlotLease(DateTimeOffset FirstSlot, TimeSpan Spacing, int Count, DateTimeOffset RetryAt)
{
    public DateTimeOffset Slot(int index) => FirstSlot + (Spacing * index);
}
