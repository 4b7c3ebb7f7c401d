using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>
/// The whole Telegram edge on loopback: the sandbox Bot API, a TestCluster whose silo sends through the real
/// Telegram.Bot client to it, and the gateway (an Orleans client of that cluster) that the sandbox delivers to.
/// </summary>
public class TelegramEdgeFixture : IAsyncLifetime
{
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
            new SandboxOptions { BotToken = LoopbackGateway.BotToken, MaxMessagesPerSecond = _sandboxBroadcastLimit, PerChatBurst = PerChatBurst, ReplyWindowSeconds = ReplyWindowSeconds },
            "http://127.0.0.1:0");
        await _sandboxApp.StartAsync();
        Sandbox = _sandboxApp.Services.GetRequiredService<SandboxState>();
        SandboxUrl = SandboxApp.BaseUrl(_sandboxApp);
        var sandboxUrl = SandboxUrl.ToString().TrimEnd('/');

        Cluster = await QuizTestCluster.StartAsync(configuration: new Dictionary<string, string>
        {
            ["Telegram:BotToken"] = LoopbackGateway.BotToken,
            ["Telegram:ApiBaseUrl"] = sandboxUrl,
            ["Telegram:BroadcastPerSecond"] = BroadcastPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        GatewayUrl = new Uri($"http://127.0.0.1:{LoopbackGateway.FreePort()}");
        _gatewayApp = LoopbackGateway.Build(Cluster, GatewayUrl, sandboxUrl, out _);
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

    public static long NewUserId() => ClusterFixture.NewLearnerId();
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
