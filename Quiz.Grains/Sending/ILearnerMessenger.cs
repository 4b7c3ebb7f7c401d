namespace Quiz.Sending;

/// <summary>Which queue a message waits in: replies to something the learner just did go before the daily fan-out.</summary>
public enum MessageLane
{
    Reply,
    Daily,
}

/// <summary>Everything the grains say to learners. The Telegram implementation paces the whole cluster's sending.</summary>
public interface ILearnerMessenger
{
    /// <summary>Sends a question with its answer buttons.</summary>
    Task<SendResult> SendQuestionAsync(long chatId, Question question, DateOnly day, MessageLane lane, CancellationToken cancellationToken);

    /// <summary>Sends an HTML text (see <see cref="Conversation.Texts"/>).</summary>
    Task<SendResult> SendTextAsync(long chatId, string html, CancellationToken cancellationToken);

    /// <summary>Rewrites a sent question to show the chosen and the correct option, without buttons.</summary>
    Task EditAnsweredQuestionAsync(long chatId, int messageId, Question question, int choice, CancellationToken cancellationToken);

    /// <summary>Answers a button tap with a short toast.</summary>
    Task AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken);
}
