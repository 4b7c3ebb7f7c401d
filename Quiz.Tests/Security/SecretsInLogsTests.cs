using System.Globalization;
using System.Net;
using Npgsql;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;
using Quiz.Tests.Telegram;

namespace Quiz.Tests.Security;

/// <summary>
/// Issue 13: the real silo and gateway processes, logging at Debug, through a conversation and a forged webhook call,
/// never write the bot token, the webhook secret, the OpenAI key or the database password.
/// </summary>
public sealed class SecretsInLogsTests
{
    private const string BotToken = "918273:BotTokenMarker_q8Zr";
    private const string WebhookSecret = "WhkMarker0123456789abcdefGHIJKLmn";
    private const string OpenAiKey = "sk-OpenAiKeyMarker-7f3a9c";
    private const string DatabasePassword = "DbPasswordMarker42";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task NoSecretReachesTheLogsOfTheSiloOrTheGateway()
    {
        var database = await (await SharedPostgres.GetAsync()).CreateDatabaseAsync();
        // The test server trusts loopback: the password is carried in every connection string, and never checked.
        var connection = new NpgsqlConnectionStringBuilder(database) { Password = DatabasePassword }.ConnectionString;
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken });
        var sandboxUrl = sandbox.BaseUrl.ToString().TrimEnd('/');
        var identity = Guid.NewGuid().ToString("N");
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Quiz"] = connection,
            ["Orleans__ClusterId"] = identity,
            ["Orleans__ServiceId"] = identity,
            ["Telegram__BotToken"] = BotToken,
            ["Telegram__ApiBaseUrl"] = sandboxUrl,
            ["OpenAI__ApiKey"] = OpenAiKey,
            ["OpenAI__Endpoint"] = $"http://127.0.0.1:{LoopbackGateway.FreePort()}/v1",
            ["Logging__LogLevel__Default"] = "Debug",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Debug",
        };
        await using var silo = SiloProcess.Start(LoopbackGateway.FreePort(), common);
        await silo.WaitUntilReadyAsync(Patience);
        var gatewayPort = LoopbackGateway.FreePort();
        await using var gateway = SiloProcess.Start("Quiz.Gateway", gatewayPort, new Dictionary<string, string>(common)
        {
            ["Telegram__WebhookSecret"] = WebhookSecret,
            ["Telegram__WebhookUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{gatewayPort}/telegram/webhook"),
        });
        await gateway.WaitUntilLiveAsync(Patience);
        try
        {
            await ClockExtensions.WaitUntilAsync(() => sandbox.State.Webhook is not null, Patience, "the gateway's webhook");
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} The gateway printed:\n{gateway.Output}", exception);
        }

        var user = TelegramEdgeFixture.NewUserId();
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.SendTextAsync(user, "/start"));
        await ClockExtensions.WaitUntilAsync(() => sandbox.State.MessagesIn(user).Any(m => m.Buttons.Count >= 4), Patience, "the question");
        var question = sandbox.State.MessagesIn(user).First(m => m.Buttons.Count >= 4);
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.TapAsync(user, question.MessageId, question.Buttons[1].CallbackData));
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.SendTextAsync(user, "/stats"));
        Assert.Equal(HttpStatusCode.Unauthorized, await sandbox.State.PostRawAsync("{\"update_id\": 1}", "wrong-" + WebhookSecret));
        await ClockExtensions.WaitUntilAsync(() => sandbox.State.MessagesIn(user).Any(m => m.Text.Contains("Your progress", StringComparison.Ordinal)), Patience, "the stats");

        var logs = silo.Output + "\n" + gateway.Output;
        Assert.Contains("dbug:", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { BotToken, "BotTokenMarker", WebhookSecret, OpenAiKey, DatabasePassword })
        {
            Assert.False(logs.Contains(secret, StringComparison.Ordinal),
                $"'{secret}' is in the logs: " + string.Join('\n', logs.Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal)).Take(3)));
        }
    }
}
