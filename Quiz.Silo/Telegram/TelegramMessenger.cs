using Quiz.Conversation;
using Quiz.Sending;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Quiz.Silo.Telegram;

/// <summary>
/// The Bot API calls, one attempt each, through Telegram.Bot, with Telegram's answer mapped to a <see cref="SendResult"/>:
/// 429 is <see cref="SendStatus.RateLimited"/> with its <c>retry_after</c>; 403 or a vanished chat is unreachable;
/// another 4xx is rejected; 5xx, timeouts and connection errors are transient. <see cref="OutboundDispatcher"/> paces and retries.
/// </summary>
public sealed partial class TelegramMessenger : ILearnerMessenger
{
    private readonly ITelegramBotClient _bot;
    private readonly ILogger<TelegramMessenger> _logger;

    public TelegramMessenger(ITelegramBotClient bot, ILogger<TelegramMessenger> logger)
    {
        _bot = bot;
        _logger = logger;
    }

    public Task<SendResult> SendQuestionAsync(long chatId, QuestionToSend question, bool paidBroadcast, CancellationToken cancellationToken)
    {
        var (id, day) = (question.Question.Id, question.Day);
        List<InlineKeyboardButton[]> rows =
        [
            [.. Enumerable.Range(0, question.Question.Options.Length)
                .Select(i => InlineKeyboardButton.WithCallbackData(BotTexts.Letter(i), AnswerCallback.Format(id, day, i)))],
        ];
        if (question.ReportLabel is { } reportLabel)
        {
            rows.Add([InlineKeyboardButton.WithCallbackData(reportLabel, ReportCallback.Format(id, day))]);
        }

        var keyboard = new InlineKeyboardMarkup(rows);
        return CallAsync(async () =>
            (await _bot.SendMessage(chatId, question.Html, ParseMode.Html, replyMarkup: keyboard, allowPaidBroadcast: paidBroadcast, cancellationToken: cancellationToken)).Id);
    }

    public Task<SendResult> SendTextAsync(long chatId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken) =>
        CallAsync(async () =>
            (await _bot.SendMessage(chatId, html, ParseMode.Html, linkPreviewOptions: LinkPreviewOptions.Disabled, replyMarkup: Markup(keyboard), cancellationToken: cancellationToken)).Id);

    public Task<SendResult> EditTextAsync(long chatId, int messageId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken) =>
        CallAsync(async () =>
            (await _bot.EditMessageText(chatId, messageId, html, ParseMode.Html, linkPreviewOptions: LinkPreviewOptions.Disabled, replyMarkup: Markup(keyboard), cancellationToken: cancellationToken)).Id);

    public Task<SendResult> SendPhotoAsync(long chatId, byte[] png, string caption, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            using var image = new MemoryStream(png, writable: false);
            return (await _bot.SendPhoto(chatId, InputFile.FromStream(image, "progress.png"), caption, ParseMode.Html, cancellationToken: cancellationToken)).Id;
        });

    public Task<SendResult> AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await _bot.AnswerCallbackQuery(callbackQueryId, text, cancellationToken: cancellationToken);
            return 0;
        });

    public async Task<bool?> IsChatAdminAsync(long chatId, long userId, CancellationToken cancellationToken)
    {
        try
        {
            var member = await _bot.GetChatMember(chatId, userId, cancellationToken);
            return member.Status is ChatMemberStatus.Creator or ChatMemberStatus.Administrator;
        }
        catch (ApiRequestException exception) when (exception.ErrorCode is 400 or 403)
        {
            // No such chat or member, or the bot is not in the chat: nobody there is an admin to the bot.
            LogRejected(exception.ErrorCode, exception.Message);
            return false;
        }
        catch (Exception exception) when (exception is ApiRequestException or HttpRequestException or TaskCanceledException or RequestException)
        {
            LogTransient(exception.GetType().Name, exception.Message);
            return null;
        }
    }

    private static InlineKeyboardMarkup? Markup(IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard) =>
        keyboard is null ? null : new InlineKeyboardMarkup(keyboard.Select(row => row.Select(b => InlineKeyboardButton.WithCallbackData(b.Text, b.Data))));

    private async Task<SendResult> CallAsync(Func<Task<int>> call)
    {
        try
        {
            return SendResult.Sent(await call());
        }
        catch (ApiRequestException exception) when (exception.ErrorCode == 429)
        {
            // Telegram's 429 carries retry_after, which must be honoured (https://core.telegram.org/bots/api#responseparameters).
            return SendResult.RateLimited(TimeSpan.FromSeconds(Math.Max(1, exception.Parameters?.RetryAfter ?? 1)));
        }
        catch (ApiRequestException exception) when (exception.ErrorCode == 403 || IsChatGone(exception))
        {
            return SendResult.Unreachable;
        }
        catch (ApiRequestException exception) when (exception.ErrorCode is >= 400 and < 500)
        {
            LogRejected(exception.ErrorCode, exception.Message);
            return SendResult.Rejected;
        }
        catch (Exception exception) when (exception is ApiRequestException or HttpRequestException or TaskCanceledException or RequestException)
        {
            LogTransient(exception.GetType().Name, exception.Message);
            return SendResult.Failed;
        }
    }

    private static bool IsChatGone(ApiRequestException exception) =>
        exception.ErrorCode == 400 && exception.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram rejected a request ({ErrorCode}): {Description}")]
    private partial void LogRejected(int errorCode, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "A Bot API call failed ({ExceptionType}: {Description}); it will be retried")]
    private partial void LogTransient(string exceptionType, string description);
}
