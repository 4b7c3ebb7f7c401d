namespace Quiz;

/// <summary>A reply that needs no learner state.</summary>
[GenerateSerializer]
[Alias("quiz.chat-reply")]
public enum ChatReply
{
    Help = 0,
    UnknownText = 1,
    SlowDown = 2,
    BadTimeCommand = 3,
    UnknownTimeZone = 4,
    BadDailyCommand = 5,
}

/// <summary>A toast for a button tap that cannot be taken.</summary>
[GenerateSerializer]
[Alias("quiz.tap-notice")]
public enum TapNotice
{
    UnknownButton = 0,
    SlowDown = 1,
}

/// <summary>
/// Sends replies that need no learner at all ("slow down" to a flooding chat, an unknown button), in the sender's
/// Telegram language; a stateless worker on every silo.
/// </summary>
[Alias("quiz.chat-reply-grain")]
public interface IChatReplyGrain : IGrainWithIntegerKey
{
    /// <summary>Sends a reply to a chat.</summary>
    [Alias("reply-in")]
    Task ReplyAsync(ChatReplyRequest request);

    /// <summary>Answers a button tap with a short toast in <paramref name="languageCode"/> and changes nothing.</summary>
    [Alias("toast-in")]
    Task ToastAsync(string callbackQueryId, TapNotice notice, string? languageCode);
}
