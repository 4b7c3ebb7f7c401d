using Microsoft.Extensions.Options;
using Quiz.Conversation;
using Quiz.Sending;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Quiz.Silo.Telegram;

/// <summary>
/// Talks to learners through the Bot API, paced by <see cref="SendPacer"/>. 429: wait <c>retry_after</c> and retry;
/// 403 or a vanished chat: the learner is unreachable, never retried; 5xx and timeouts: bounded retries with backoff.
/// A message counts as sent only when Telegram accepted it.
/// </summary>
public sealed partial class TelegramMessenger : ILearnerMessenger
{
    private const int MaxAttempts = 4;
    private static readonly TimeSpan ReplyQueueWait = TimeSpan.FromSeconds(10);

    private readonly ITelegramBotClient _bot;
    private readonly SendPacer _pacer;
    private readonly QuizMetrics _metrics;
    private readonly TimeSpan _dailyQueueWait;
    private readonly ILogger<TelegramMessenger> _logger;

    public TelegramMessenger(ITelegramBotClient bot, SendPacer pacer, QuizMetrics metrics, IOptions<TelegramSendingOptions> options, ILogger<TelegramMessenger> logger)
    {
        _bot = bot;
        _pacer = pacer;
        _metrics = metrics;
        _dailyQueueWait = options.Value.MaxDailyQueueWait;
        _logger = logger;
    }

    public Task<SendResult> SendQuestionAsync(long chatId, Question question, DateOnly day, MessageLane lane, CancellationToken cancellationToken)
    {
        var keyboard = new InlineKeyboardMarkup(
        [
            [.. Enumerable.Range(0, question.Options.Length)
                .Select(i => InlineKeyboardButton.WithCallbackData(Texts.Letter(i), AnswerCallback.Format(question.Id, day, i)))],
            [InlineKeyboardButton.WithCallbackData(Texts.ReportButton, ReportCallback.Format(question.Id, day))],
        ]);
        return SendAsync(lane, async ct =>
            (await _bot.SendMessage(chatId, Texts.Question(question), ParseMode.Html, replyMarkup: keyboard, cancellationToken: ct)).Id,
            cancellationToken);
    }

    public Task<SendResult> SendTextAsync(long chatId, string html, CancellationToken cancellationToken) =>
        SendAsync(MessageLane.Reply, async ct =>
            (await _bot.SendMessage(chatId, html, ParseMode.Html, linkPreviewOptions: LinkPreviewOptions.Disabled, cancellationToken: ct)).Id,
            cancellationToken);

    public async Task EditAnsweredQuestionAsync(long chatId, int messageId, Question question, int choice, CancellationToken cancellationToken)
    {
        var result = await SendAsync(MessageLane.Reply, async ct =>
            (await _bot.EditMessageText(chatId, messageId, Texts.AnsweredQuestion(question, choice), ParseMode.Html, replyMarkup: null, cancellationToken: ct)).Id,
            cancellationToken);
        if (result.Status != SendStatus.Sent)
        {
            LogEditFailed(chatId, messageId, result.Status);
        }
    }

    public async Task AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken)
    {
        try
        {
            await _bot.AnswerCallbackQuery(callbackQueryId, text, cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is ApiRequestException or HttpRequestException or TaskCanceledException)
        {
            // A toast that cannot be shown (query too old, Telegram busy) changes nothing for the learner.
            LogToastFailed(exception);
        }
    }

    private async Task<SendResult> SendAsync(MessageLane lane, Func<CancellationToken, Task<int>> call, CancellationToken cancellationToken)
    {
        var queueWait = lane == MessageLane.Daily ? _dailyQueueWait : ReplyQueueWait;
        for (var attempt = 1; ; attempt++)
        {
            if (!await _pacer.WaitTurnAsync(lane, queueWait, cancellationToken))
            {
                _metrics.Send("queue-full");
                return SendResult.Failed;
            }

            try
            {
                var messageId = await call(cancellationToken);
                _metrics.Send("ok");
                return SendResult.Sent(messageId);
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 429)
            {
                _metrics.Send("429");
                var retryAfter = TimeSpan.FromSeconds(Math.Max(1, exception.Parameters?.RetryAfter ?? 1));
                _pacer.Pause(retryAfter);
                LogRateLimited(retryAfter);
                if (attempt >= MaxAttempts)
                {
                    return SendResult.Failed;
                }
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 403 || IsChatGone(exception))
            {
                _metrics.Send("403");
                return SendResult.Unreachable;
            }
            catch (ApiRequestException exception) when (exception.ErrorCode is >= 400 and < 500)
            {
                _metrics.Send("error");
                LogRejected(exception.ErrorCode, exception.Message);
                return SendResult.Failed;
            }
            catch (Exception exception) when (exception is ApiRequestException or HttpRequestException or TaskCanceledException or RequestException
                                              && !cancellationToken.IsCancellationRequested)
            {
                _metrics.Send("error");
                if (attempt >= MaxAttempts)
                {
                    LogGaveUp(attempt, exception);
                    return SendResult.Failed;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1)), cancellationToken);
            }
        }
    }

    private static bool IsChatGone(ApiRequestException exception) =>
        exception.ErrorCode == 400 && exception.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram answered 429: pausing this silo's sending for {RetryAfter}")]
    private partial void LogRateLimited(TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram rejected a message ({ErrorCode}): {Description}")]
    private partial void LogRejected(int errorCode, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending failed after {Attempts} attempts")]
    private partial void LogGaveUp(int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Editing message {MessageId} in chat {ChatId} did not go through: {Status}")]
    private partial void LogEditFailed(long chatId, int messageId, SendStatus status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A toast could not be shown")]
    private partial void LogToastFailed(Exception exception);
}
