using System.ComponentModel.DataAnnotations;

namespace Quiz.Learners;

/// <summary>Settings of the daily delivery.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>After a send that failed (rate limit, outage), the day's question is tried again this much later.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan RetryAfterFailedSend { get; set; } = TimeSpan.FromMinutes(5);
}
