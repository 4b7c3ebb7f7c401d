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

    public Task<SendResult> SendQuestionAsync(long chatId, QuestionToSend question, bool paidBroadcast, CancellationToken cancellationToken) =>
        Sent(chatId, $"[{question.Day}] {question.Html}");

    public Task<SendResult> SendTextAsync(long chatId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken) => Sent(chatId, html);

    /// <summary>With no Telegram there are no groups to ask about.</summary>
    public Task<bool?> IsChatAdminAsync(long chatId, long userId, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public Task<SendResult> SendPhotoAsync(long chatId, byte[] png, string caption, CancellationToken cancellationToken) =>
        Sent(chatId, $"[a {png.Length:N0}-byte chart] {caption}");

    public Task<SendResult> EditTextAsync(long chatId, int messageId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken) =>
        Sent(chatId, $"(edit {messageId}) {html}");

    public Task<SendResult> AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken) =>
        Sent(0, $"(toast) {text}");

    private Task<SendResult> Sent(long chatId, string html)
    {
        LogMessage(chatId, html);
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "To chat {ChatId}: {Html}")]
    private partial void LogMessage(long chatId, string html);
}
