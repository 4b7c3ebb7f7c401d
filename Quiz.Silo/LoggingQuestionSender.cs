using Quiz.Sending;

namespace Quiz.Silo;

/// <summary>
/// The sender of a silo that has no Telegram configuration: it writes each question to the log,
/// so the embedded mode shows its daily deliveries without any outside service.
/// </summary>
public sealed partial class LoggingQuestionSender : IQuestionSender
{
    private readonly ILogger<LoggingQuestionSender> _logger;
    private int _nextMessageId;

    public LoggingQuestionSender(ILogger<LoggingQuestionSender> logger)
    {
        _logger = logger;
    }

    public Task<SendResult> SendQuestionAsync(long chatId, Question question, DateOnly day, CancellationToken cancellationToken)
    {
        LogQuestion(chatId, day, question.Id, question.Text);
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Question for chat {ChatId} on {Day}: [{QuestionId}] {Text}")]
    private partial void LogQuestion(long chatId, DateOnly day, string questionId, string text);
}
