using Telegram.Bot;

namespace Quiz.Gateway;

/// <summary>
/// Polling mode, for a developer behind NAT: long-polls <c>getUpdates</c> and routes each update exactly as the
/// webhook does. An update is confirmed (the offset moves past it) only once it was handled.
/// </summary>
public sealed partial class UpdatePoller : BackgroundService
{
    private readonly ITelegramBotClient _bot;
    private readonly UpdateRouter _router;
    private readonly ILogger<UpdatePoller> _logger;

    public UpdatePoller(ITelegramBotClient bot, UpdateRouter router, ILogger<UpdatePoller> logger)
    {
        _bot = bot;
        _router = router;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _bot.DeleteWebhook(cancellationToken: stoppingToken);
        var offset = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await _bot.GetUpdates(offset, timeout: 25, allowedUpdates: WebhookRegistration.AllowedUpdates, cancellationToken: stoppingToken);
                foreach (var update in updates)
                {
                    var routed = await _router.RouteAsync(update);
                    if (routed.Result == RouteResult.Malformed)
                    {
                        LogMalformed(update.Id);
                    }

                    if (routed.Toast is { } toast)
                    {
                        await AnswerTapAsync(toast, stoppingToken);
                    }

                    offset = update.Id + 1;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task AnswerTapAsync(TapToast toast, CancellationToken cancellationToken)
    {
        try
        {
            await _bot.AnswerCallbackQuery(toast.CallbackQueryId, toast.Text, cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A toast that cannot be shown changes nothing: the answer is durable and its feedback goes out anyway.
            LogToastFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A toast could not be shown")]
    private partial void LogToastFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} is malformed; skipped")]
    private partial void LogMalformed(int updateId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling failed; retrying")]
    private partial void LogPollFailed(Exception exception);
}
