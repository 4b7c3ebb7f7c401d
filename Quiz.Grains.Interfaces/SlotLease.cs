namespace Quiz;

/// <summary>
/// Sending slots leased from the broadcast budget: <paramref name="Count"/> instants, the first at
/// <paramref name="FirstSlot"/> and each <paramref name="Spacing"/> after the one before. A silo sends at most one
/// broadcast per slot and lets a slot it missed go. With no slot granted, <paramref name="RetryAt"/> says when to ask again.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("quiz.slot-lease")]
public sealed record SlotLease(
    [property: Id(0)] DateTimeOffset FirstSlot,
    [property: Id(1)] TimeSpan Spacing,
    [property: Id(2)] int Count,
    [property: Id(3)] DateTimeOffset RetryAt,
    [property: Id(4)] bool PaidBroadcast)
{
    public DateTimeOffset Slot(int index) => FirstSlot + (Spacing * index);
}
