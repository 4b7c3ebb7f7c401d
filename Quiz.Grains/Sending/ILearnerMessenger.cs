using Quiz.Conversation;

namespace Quiz.Sending;

/// <summary>
/// Which way a message goes out. Replies answer something the learner just did: Telegram does not count them as bulk
/// notifications, so they go at once, limited only per chat. Daily questions are bulk notifications and take a slot
/// of the cluster's broadcast budget. See docs/sending.md.
/// </summary>
public enum MessageLane
{
    Reply,
    Daily,
}

/// <summary>A question rendered for one chat: its HTML and the label of its report button (none in a group), in the chat's language.</summary>
public sealed record QuestionToSend(Question Question, DateOnly Day, string Html, string? ReportLabel);

/// <summary>
/// The Bot API calls the product makes, one attempt each: no pacing and no retry here. <see cref="OutboundDispatcher"/>
/// paces them, retries them and reports back to the learner's grain.
/// </summary>
public interface ILearnerMessenger
{
    /// <summary>Sends a question with its answer buttons; <paramref name="paidBroadcast"/> sets <c>allow_paid_broadcast</c>.</summary>
    Task<SendResult> SendQuestionAsync(long chatId, QuestionToSend question, bool paidBroadcast, CancellationToken cancellationToken);

    /// <summary>Sends an HTML text (see <see cref="Conversation.BotTexts"/>).</summary>
    Task<SendResult> SendTextAsync(long chatId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken);

    /// <summary>Replaces the text of a message the bot sent and its buttons with <paramref name="keyboard"/> (none when null).</summary>
    Task<SendResult> EditTextAsync(long chatId, int messageId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken);

    /// <summary>Sends a PNG image with an HTML caption.</summary>
    Task<SendResult> SendPhotoAsync(long chatId, byte[] png, string caption, CancellationToken cancellationToken);

    /// <summary>Whether the user is an admin (or the creator) of the group (<c>getChatMember</c>); null when Telegram could not be asked.</summary>
    Task<bool?> IsChatAdminAsync(long chatId, long userId, CancellationToken cancellationToken);

    /// <summary>Answers a button tap with a short toast.</summary>
    Task<SendResult> AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken);
}
