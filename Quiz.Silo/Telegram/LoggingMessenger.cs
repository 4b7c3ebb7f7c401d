using Quiz.Conversation;
using Quiz.Sending;

namespace Quiz.Silo.Telegram;

/// <summary>
/// The messenger of a silo with no <c>Telegram:BotToken</c>: it writes what it would send to the log, so the
/// embedded mode shows its deliveries without any outside service.
/// </summary>
public sealed partial class LoggingMessenger : ILearnerMessenger
{
    private readonly ILogger<LoggingMessenger> _logger;
    private int _nextMessageId;

    public LoggingMessenger(ILogger<LoggingMessenger> logger)
    {
        _logger = logger;
    }

    public Task<SendResult> SendQuestionAsync(long chatId, Question question, DateOnly day, MessageLane lane, CancellationToken cancellationToken)
    {
        LogMessage(chatId, $"[{day}] {Texts.Question(question)}");
        return Sent();
    }

    public Task<SendResult> SendTextAsync(long chatId, string html, CancellationToken cancellationToken)
    {
        LogMessage(chatId, html);
        return Sent();
    }

    public Task EditAnsweredQuestionAsync(long chatId, int messageId, Question question, int choice, CancellationToken cancellationToken)
    {
        LogMessage(chatId, $"(edit {messageId}) {Texts.AnsweredQuestion(question, choice)}");
        return Task.CompletedTask;
    }

    public Task AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken)
    {
        LogMessage(0, $"(toast) {text}");
        return Task.CompletedTask;
    }

    private Task<SendResult> Sent() => Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));

    [LoggerMessage(Level = LogLevel.Information, Message = "To chat {ChatId}: {Html}")]
    private partial void LogMessage(long chatId, string html);
}
