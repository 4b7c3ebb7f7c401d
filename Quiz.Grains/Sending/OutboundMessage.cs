using Quiz.Conversation;

namespace Quiz.Sending;

/// <summary>What kind of Bot API call a message is.</summary>
public enum OutboundKind
{
    Question,
    Text,
    Edit,
    Toast,

    /// <summary>The progress chart of learner <see cref="OutboundMessage.ChartOf"/>, drawn when it is sent.</summary>
    Chart,
}

/// <summary>
/// One message handed to this silo's <see cref="OutboundDispatcher"/>. With a <see cref="LearnerId"/> it comes from
/// that learner's durable outbox and is confirmed back to the grain by <see cref="Sequence"/> (a negative id is a
/// group chat's, Telegram's ids of groups being negative and of users positive: it is confirmed to that group's grain); without one it is a
/// reply that needs no state (help, a toast) and is only sent. A question goes by id; the dispatcher reads its
/// wording from the silo's catalog when it sends it, and renders it in <see cref="Language"/>; a review names the day
/// it was first missed (<see cref="ReviewOf"/>).
/// </summary>
public sealed record OutboundMessage(
    long LearnerId,
    long Sequence,
    long ChatId,
    MessageLane Lane,
    OutboundKind Kind,
    string? Html = null,
    int? MessageId = null,
    string? QuestionId = null,
    DateOnly Day = default,
    string? CallbackQueryId = null,
    string? Language = null,
    DateOnly? ReviewOf = null,
    IReadOnlyList<IReadOnlyList<InlineButton>>? Keyboard = null,
    long ChartOf = 0)
{
    /// <summary>When this silo's dispatcher took it: the start of its queue wait.</summary>
    public DateTimeOffset QueuedAt { get; init; }

    /// <summary>Attempts so far that failed for a transient reason.</summary>
    public int FailedAttempts { get; init; }

    public bool IsFromOutbox => LearnerId != 0;

    /// <summary>A group's own message (its question or tally), confirmed to <see cref="IGroupGrain"/>.</summary>
    public bool IsForGroup => LearnerId < 0;
}

/// <summary>The silo's outbound queue: takes a message without waiting; the dispatcher sends it in order of its lane.</summary>
public interface IOutboundQueue
{
    void Enqueue(OutboundMessage message);
}
