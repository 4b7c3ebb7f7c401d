using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Quiz.ServiceDefaults;
using Telegram.Bot;

namespace Quiz.Gateway;

/// <summary>The gateway's wiring, used by <c>Program.cs</c> and by the tests that host it on loopback.</summary>
public static class GatewayApp
{
    /// <summary>A gateway's PostgreSQL connections, unless its connection string sets <c>Maximum Pool Size</c> (docs/operations.md, "Connections").</summary>
    public const int GatewayConnections = 4;

    /// <param name="args">Command-line arguments.</param>
    /// <param name="settings">Settings that override every other source (the tests' way in).</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        if (settings is not null)
        {
            configuration.AddInMemoryCollection(settings);
        }

        builder.AddQuizServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck<ClusterReadyHealthCheck>("cluster", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatFloodControl>();
        builder.Services.AddSingleton<UpdateRouter>();
        builder.Services.AddHttpClient("telegram", client => client.Timeout = TimeSpan.FromSeconds(40))
            // Its URLs hold the bot token: the client factory's request logging would write it at Information.
            .RemoveAllLoggers();
        builder.Services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl), sp.GetRequiredService<IHttpClientFactory>().CreateClient("telegram"));
        });

        var mode = configuration.GetValue($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Mode)}", UpdateMode.Webhook);
        if (mode == UpdateMode.Polling)
        {
            builder.Services.AddHostedService<UpdatePoller>();
        }
        else
        {
            builder.Services.AddHostedService<WebhookRegistration>();
        }

        var connectionString = configuration.GetConnectionString("Quiz");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddHealthChecks().AddDatabaseCheck(connectionString);
        }

        builder.UseOrleansClient(client =>
        {
            client.AddActivityPropagation();
            client.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                client.UseLocalhostClustering();
            }
            else
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    // The gateway only reads the membership table: a few connections, not Npgsql's default of 100.
                    o.ConnectionString = Bounded(connectionString);
                });
            }
        });
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapQuizDefaultEndpoints();
        app.MapTelegramWebhook();
        return app;
    }

    private static string Bounded(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxPoolSize == new Npgsql.NpgsqlConnectionStringBuilder().MaxPoolSize)
        {
            builder.MaxPoolSize = GatewayConnections;
        }

        builder.ApplicationName ??= "quiz-gateway";
        return builder.ConnectionString;
    }
}
