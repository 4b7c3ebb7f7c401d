using Microsoft.Extensions.Options;

namespace Quiz.Sending;

/// <summary>The numbers of the broadcast schedule, derived from <see cref="SendingOptions"/>.</summary>
public sealed class BroadcastPacing
{
    /// <summary>No slot is granted further ahead than this, so that no silo can take more than a second of the budget.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(1);

    /// <summary>The first slot of a lease lies at least this far ahead, so the lease reaches its silo before it.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Slots are spaced for 96 % of the rate: the margin (about 40 ms a second) absorbs a slot sent up to
    /// <see cref="OutboundDispatcher.LateGuard"/> late and the jitter between a silo and Telegram, so that no 1-s
    /// window sees more than the rate.
    /// </summary>
    public const double Headroom = 0.96;

    public BroadcastPacing(IOptions<SendingOptions> options)
    {
        Limit = options.Value.BroadcastPerSecond;
        IsPaid = options.Value.PaidBroadcast;
        SlotsPerSecond = Limit * Headroom;
        Spacing = TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / SlotsPerSecond));
        MaxPerLease = Math.Max(1, (int)Math.Ceiling(SlotsPerSecond / 2));
        // Telegram bills 0.1 Stars for each paid-broadcast message above the free 30 a second.
        StarsPerSlot = IsPaid ? 0.1 * Math.Max(0, SlotsPerSecond - SendingOptions.FreeBroadcastLimit) / SlotsPerSecond : 0;
    }

    public int Limit { get; }

    public bool IsPaid { get; }

    public double SlotsPerSecond { get; }

    public TimeSpan Spacing { get; }

    /// <summary>Half a second of slots: a silo with a long queue leases again rather than holding the budget.</summary>
    public int MaxPerLease { get; }

    public double StarsPerSlot { get; }
}
