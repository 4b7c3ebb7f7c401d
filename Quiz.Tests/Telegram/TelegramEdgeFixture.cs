using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quiz.Gateway;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>
/// The whole Telegram edge on loopback: the sandbox Bot API, a TestCluster whose silo sends through the real
/// Telegram.Bot client to it, and the gateway (an Orleans client of that cluster) that the sandbox delivers to.
/// </summary>
public class TelegramEdgeFixture : IAsyncLifetime
{
    public const string BotToken = "123456:test-token";
    public const string WebhookSecret = "test-webhook-secret";
    /// <summary>The cluster's broadcast budget, a second; the sandbox refuses broadcasts above it, as Telegram does above ~30.</summary>
    public const int BroadcastPerSecond = 5;

    /// <summary>Telegram's "about one message a second in a chat": the sandbox refuses a fourth message to a chat within 3 s.</summary>
    public const int PerChatBurst = 3;

    /// <summary>What the bot sends a chat within this many seconds of the person's own update is a reply, not a broadcast.</summary>
    public const int ReplyWindowSeconds = 2;

    private readonly int _sandboxBroadcastLimit;
    private WebApplication _sandboxApp = null!;
    private WebApplication _gatewayApp = null!;

    public TelegramEdgeFixture()
        : this(BroadcastPerSecond)
    {
    }

    /// <param name="sandboxBroadcastLimit">What the sandbox accepts a second of messages it takes for broadcasts.</param>
    protected TelegramEdgeFixture(int sandboxBroadcastLimit)
    {
        _sandboxBroadcastLimit = sandboxBroadcastLimit;
    }

    public QuizTestCluster Cluster { get; private set; } = null!;

    public SandboxState Sandbox { get; private set; } = null!;

    public Uri GatewayUrl { get; private set; } = null!;

    public Uri SandboxUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sandboxApp = SandboxApp.Build(
            new SandboxOptions { BotToken = BotToken, MaxMessagesPerSecond = _sandboxBroadcastLimit, PerChatBurst = PerChatBurst, ReplyWindowSeconds = ReplyWindowSeconds },
            "http://127.0.0.1:0");
        await _sandboxApp.StartAsync();
        Sandbox = _sandboxApp.Services.GetRequiredService<SandboxState>();
        SandboxUrl = SandboxApp.BaseUrl(_sandboxApp);
        var sandboxUrl = SandboxUrl.ToString().TrimEnd('/');

        Cluster = await QuizTestCluster.StartAsync(configuration: new Dictionary<string, string>
        {
            ["Telegram:BotToken"] = BotToken,
            ["Telegram:ApiBaseUrl"] = sandboxUrl,
            ["Telegram:BroadcastPerSecond"] = BroadcastPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        GatewayUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        _gatewayApp = StartGateway(Cluster, GatewayUrl, sandboxUrl, out _);
        await _gatewayApp.StartAsync();
        await ClockExtensions.WaitUntilAsync(() => Sandbox.Webhook is not null, TimeSpan.FromSeconds(30), "the gateway to register its webhook");
    }

    public async Task DisposeAsync()
    {
        await _gatewayApp.StopAsync();
        await _gatewayApp.DisposeAsync();
        await Cluster.DisposeAsync();
        await _sandboxApp.StopAsync();
        await _sandboxApp.DisposeAsync();
    }

    /// <summary>A gateway app for <paramref name="cluster"/> with the test settings, built but not started.</summary>
    public static WebApplication StartGateway(
        QuizTestCluster cluster,
        Uri url,
        string sandboxUrl,
        out WebApplicationBuilder builder,
        IDictionary<string, string?>? overrides = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = url.ToString(),
            ["ConnectionStrings:Quiz"] = cluster.ConnectionString,
            ["Orleans:ClusterId"] = cluster.Cluster.Options.ClusterId,
            ["Orleans:ServiceId"] = cluster.ServiceId,
            ["Telegram:BotToken"] = BotToken,
            ["Telegram:ApiBaseUrl"] = sandboxUrl,
            ["Telegram:WebhookSecret"] = WebhookSecret,
            ["Telegram:WebhookUrl"] = new Uri(url, WebhookEndpoint.Path).ToString(),
            ["Telegram:MaxConnections"] = "17",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder = GatewayApp.CreateBuilder([], settings);
        configure?.Invoke(builder);
        return GatewayApp.Build(builder);
    }

    public static long NewUserId() => ClusterFixture.NewLearnerId();

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class TelegramEdgeCollection : ICollectionFixture<TelegramEdgeFixture>
{
    public const string Name = "telegram";
}

/// <summary>
/// An edge of its own for the webhook fuzz: its updates are posted straight to the gateway, so the sandbox never saw the
/// person write and takes every reply for a broadcast; a broadcast limit that high keeps that from queueing replies.
/// </summary>
public sealed class HostileInputEdgeFixture() : TelegramEdgeFixture(sandboxBroadcastLimit: 10_000);

[CollectionDefinition(Name)]
public sealed class HostileInputCollection : ICollectionFixture<HostileInputEdgeFixture>
{
    public const string Name = "hostile input";
}
