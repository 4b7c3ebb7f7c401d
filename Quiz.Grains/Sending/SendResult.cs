namespace Quiz.Sending;

/// <summary>What happened to a message handed to the messaging service.</summary>
public enum SendStatus
{
    /// <summary>Accepted by the messaging service.</summary>
    Sent,

    /// <summary>The learner blocked the bot or the chat is gone; retrying will not help.</summary>
    Unreachable,

    /// <summary>Not accepted now (rate limit, outage, timeout after retries); a later attempt may succeed.</summary>
    Failed,
}

/// <summary>The result of a send; <paramref name="MessageId"/> is set when the message was accepted.</summary>
public readonly record struct SendResult(SendStatus Status, int? MessageId = null)
{
    public static SendResult Unreachable { get; } = new(SendStatus.Unreachable);
    public static SendResult Failed { get; } = new(SendStatus.Failed);
    public static SendResult Sent(int messageId) => new(SendStatus.Sent, messageId);
}
