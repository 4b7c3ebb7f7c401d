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
}

/// <summary>A toast for a button tap that cannot be taken.</summary>
[GenerateSerializer]
[Alias("quiz.tap-notice")]
public enum TapNotice
{
    UnknownButton = 0,
}

/// <summary>Sends replies that need no learner state (help, hints, "slow down"); a stateless worker on every silo.</summary>
[Alias("quiz.chat-reply-grain")]
public interface IChatReplyGrain : IGrainWithIntegerKey
{
    /// <summary>Sends <paramref name="reply"/> to a chat; <paramref name="detail"/> is quoted back where the reply names it.</summary>
    [Alias("reply")]
    Task ReplyAsync(long chatId, ChatReply reply, string? detail);

    /// <summary>Answers a button tap with a short toast and changes nothing.</summary>
    [Alias("toast")]
    Task ToastAsync(string callbackQueryId, TapNotice notice);
}
