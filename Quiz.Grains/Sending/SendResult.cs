namespace Quiz.Sending;

/// <summary>What happened to one Bot API call.</summary>
public enum SendStatus
{
    /// <summary>Accepted by Telegram.</summary>
    Sent,

    /// <summary>The learner blocked the bot or the chat is gone; retrying will not help.</summary>
    Unreachable,

    /// <summary>Telegram answered 429: nothing more may go before <see cref="SendResult.RetryAfter"/> has passed.</summary>
    RateLimited,

    /// <summary>Telegram refused the request itself (400); retrying the same request will not help.</summary>
    Rejected,

    /// <summary>Not accepted now (5xx, timeout, connection); the same call may succeed later.</summary>
    Failed,
}

/// <summary>The result of a Bot API call; <paramref name="MessageId"/> when a message was accepted.</summary>
public readonly record struct SendResult(SendStatus Status, int? MessageId = null, TimeSpan RetryAfter = default)
{
    public static SendResult Unreachable { get; } = new(SendStatus.Unreachable);
    public static SendResult Failed { get; } = new(SendStatus.Failed);
    public static SendResult Rejected { get; } = new(SendStatus.Rejected);
    public static SendResult Sent(int messageId) => new(SendStatus.Sent, messageId);
    public static SendResult RateLimited(TimeSpan retryAfter) => new(SendStatus.RateLimited, RetryAfter: retryAfter);
}
