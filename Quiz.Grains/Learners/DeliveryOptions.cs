using System.ComponentModel.DataAnnotations;

namespace Quiz.Learners;

/// <summary>Settings of the daily delivery.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>After a daily question could not be sent (Telegram down through every retry) or none was available, the day's question is tried again within this delay (spread at random over its last nine tenths).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan RetryAfterFailedSend { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often each silo looks for learners whose outbox has owed messages for at least this long (their silo stopped
    /// or crashed before sending) and wakes them, so that the messages go out on another silo.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often each silo looks for learners whose daily question is due since longer than <see cref="DueSweepGrace"/>
    /// and not delivered (a reminder tick lost: the activation failed in a burst, a silo died as it fired) and asks
    /// them to deliver it. Ticks that merely run late are unaffected: asking twice delivers once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DueSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a learner's delivery instant the reminder has to deliver before the due sweep steps in. A tick
    /// whose call has not answered within the silo's response timeout (30 s) is dropped by Orleans until the next
    /// day, so two minutes is past every live tick; a tick still running then delivers once all the same.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan DueSweepGrace { get; set; } = TimeSpan.FromMinutes(2);
}
