using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>A gateway starting with updates already waiting at Telegram (a deploy, a restart).</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class WebhookRegistrationTests(TelegramEdgeFixture edge)
{
    [Fact]
    public async Task WebhookIsRegisteredOnlyOnceTheGatewayAcceptsTheUpdatesWaitingForIt()
    {
        await using var sandboxApp = SandboxApp.Build(new SandboxOptions { BotToken = LoopbackGateway.BotToken }, "http://127.0.0.1:0");
        await sandboxApp.StartAsync();
        var sandbox = sandboxApp.Services.GetRequiredService<SandboxState>();
        var user = TelegramEdgeFixture.NewUserId();
        await sandbox.SendTextAsync(user, "/start");

        // A start-up step that takes a while (in production: the cluster client's first connection) holds the server back.
        var gateway = LoopbackGateway.Build(
            edge.Cluster,
            new Uri($"http://127.0.0.1:{LoopbackGateway.FreePort()}"),
            SandboxApp.BaseUrl(sandboxApp).ToString().TrimEnd('/'),
            out _,
            configure: builder => builder.Services.AddHostedService<SlowStartingService>());
        await gateway.StartAsync();
        try
        {
            // The sandbox, like Telegram, delivers what waits as soon as the webhook is set, and does not try again at once.
            await ClockExtensions.WaitUntilAsync(
                async () => (await edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).IsSubscribed,
                TimeSpan.FromSeconds(30),
                "the /start that waited for the webhook to arrive");
            Assert.NotNull(sandbox.Webhook);
        }
        finally
        {
            await gateway.StopAsync();
            await gateway.DisposeAsync();
            await sandboxApp.StopAsync();
        }
    }

    private sealed class SlowStartingService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
