using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Quiz.Gateway;

/// <summary>
/// In webhook mode, tells Telegram where to deliver updates, with the secret and the update kinds we handle, once the
/// server accepts requests: Telegram delivers what is pending as soon as the webhook is set, and a delivery that
/// fails is retried only after a while.
/// </summary>
public sealed partial class WebhookRegistration : BackgroundService
{
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    private readonly ITelegramBotClient _bot;
    private readonly GatewayOptions _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<WebhookRegistration> _logger;

    public WebhookRegistration(ITelegramBotClient bot, IOptions<GatewayOptions> options, IHostApplicationLifetime lifetime, ILogger<WebhookRegistration> logger)
    {
        _bot = bot;
        _options = options.Value;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Hosted services start before the server listens; ApplicationStarted comes once it does.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => listening.TrySetResult()))
        using (stoppingToken.Register(() => listening.TrySetCanceled(stoppingToken)))
        {
            await listening.Task;
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await _bot.SetWebhook(
                    _options.WebhookUrl!,
                    maxConnections: _options.MaxConnections,
                    allowedUpdates: AllowedUpdates,
                    secretToken: _options.WebhookSecret,
                    cancellationToken: stoppingToken);
                LogRegistered(_options.WebhookUrl!);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt)));
                LogFailed(exception, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook registered: {Url}")]
    private partial void LogRegistered(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the webhook failed; trying again in {Delay}")]
    private partial void LogFailed(Exception exception, TimeSpan delay);
}
