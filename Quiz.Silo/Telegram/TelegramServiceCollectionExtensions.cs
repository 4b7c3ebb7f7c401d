using Microsoft.Extensions.Options;
using Quiz.Sending;
using Telegram.Bot;

namespace Quiz.Silo.Telegram;

public static class TelegramServiceCollectionExtensions
{
    /// <summary>The Telegram messenger (one attempt per call; the grains' dispatcher paces) when a bot token is configured, else the logging one.</summary>
    public static IServiceCollection AddQuizMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramSendingOptions>().BindConfiguration(TelegramSendingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(TelegramSendingOptions.SectionName).Get<TelegramSendingOptions>() ?? new TelegramSendingOptions();
        if (!options.IsConfigured)
        {
            services.AddSingleton<ILearnerMessenger, LoggingMessenger>();
            return services;
        }

        services.AddHttpClient("telegram", client => client.Timeout = TimeSpan.FromSeconds(15))
            // Its URLs hold the bot token: the client factory's request logging would write it at Information.
            .RemoveAllLoggers();
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var sending = sp.GetRequiredService<IOptions<TelegramSendingOptions>>().Value;
            var clientOptions = new TelegramBotClientOptions(sending.BotToken!, sending.ApiBaseUrl) { RetryCount = 0 };
            return new TelegramBotClient(clientOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient("telegram"));
        });
        services.AddSingleton<ILearnerMessenger, TelegramMessenger>();
        return services;
    }
}
