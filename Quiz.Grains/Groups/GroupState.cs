using System.Text.Json.Serialization;

namespace Quiz.Groups;

/// <summary>What the group grain keeps, stored as JSON; the JSON names are the stored contract.</summary>
public sealed class GroupState
{
    [JsonPropertyName("chatId")] public long ChatId { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }

    /// <summary>Whether the bot is in the group (added and not removed since).</summary>
    [JsonPropertyName("member")] public bool BotIsMember { get; set; }

    /// <summary>Whether an admin turned the daily question on with <c>/daily</c>.</summary>
    [JsonPropertyName("daily")] public bool DailyOn { get; set; }
    [JsonPropertyName("deliveryTime")] public TimeOnly DeliveryTime { get; set; } = new(10, 0);
    [JsonPropertyName("timeZone")] public string TimeZoneId { get; set; } = "UTC";
    [JsonPropertyName("language")] public string? LanguageCode { get; set; }

    /// <summary>The latest question and any earlier one whose tally is not shown yet.</summary>
    [JsonPropertyName("rounds")] public List<GroupRound> Rounds { get; set; } = [];

    /// <summary>Every question the group was asked, with its date: the bank does not repeat one while it has others.</summary>
    [JsonPropertyName("asked")] public Dictionary<string, DateOnly> Asked { get; set; } = [];
    [JsonPropertyName("recentUpdates")] public List<long> RecentUpdateIds { get; set; } = [];

    /// <summary>The last number given to a message of the group's, so that the sender's receipt finds its round.</summary>
    [JsonPropertyName("messageSeq")] public long MessageSequence { get; set; }
}

/// <summary>
/// One day's question in a group: posted (once the sender confirms, with its message id), then, when the next question
/// comes or the daily question is turned off, edited into its answer and tally.
/// </summary>
public sealed class GroupRound
{
    [JsonPropertyName("question")] public required string QuestionId { get; set; }
    [JsonPropertyName("day")] public DateOnly Day { get; set; }
    [JsonPropertyName("postSeq")] public long PostSequence { get; set; }
    [JsonPropertyName("posted")] public bool IsPosted { get; set; }
    [JsonPropertyName("messageId")] public int? MessageId { get; set; }

    /// <summary>Set when the round closes: the sequence of the edit that shows its tally.</summary>
    [JsonPropertyName("tallySeq")] public long? TallySequence { get; set; }
    [JsonPropertyName("tallied")] public bool IsTallied { get; set; }

    [JsonIgnore] public bool IsOpen => TallySequence is null;
}
