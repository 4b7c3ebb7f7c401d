using System.ComponentModel.DataAnnotations;

namespace Quiz.Learners;

/// <summary>Settings of the daily delivery.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>After a send that failed (queue full, rate limit, outage), the day's question is tried again within this delay (spread at random over its last nine tenths).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan RetryAfterFailedSend { get; set; } = TimeSpan.FromMinutes(5);
}
