using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quiz.Sending;
using Quiz.Silo;
using Quiz.Silo.Telegram;

namespace Quiz.Tests.Operations;

/// <summary>Sending settings that Telegram would refuse stop the silo's start-up, with a message naming them.</summary>
public sealed class SendingSettingsTests
{
    [Theory]
    [InlineData("Telegram:BroadcastPerSecond", "100", "Telegram:PaidBroadcast")]
    [InlineData("Telegram:BroadcastPerSecond", "1001", "BroadcastPerSecond")]
    [InlineData("Telegram:BroadcastPerSecond", "0", "BroadcastPerSecond")]
    [InlineData("Telegram:MaxMessagesPerSecond", "25", "Telegram:BroadcastPerSecond")]
    public async Task BadSendingSettingStopsStartUpNamingIt(string key, string value, string named)
    {
        using var host = SiloHost(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaidBroadcastAllowsUpToAThousandAMessagesASecond()
    {
        using var host = SiloHost(new Dictionary<string, string?> { ["Telegram:BroadcastPerSecond"] = "1000", ["Telegram:PaidBroadcast"] = "true" });

        await host.StartAsync();

        Assert.Equal(1000, host.Services.GetRequiredService<IOptions<SendingOptions>>().Value.BroadcastPerSecond);
        await host.StopAsync();
    }

    /// <summary>An embedded silo wired as the silo host wires it (no outside service), on free ports.</summary>
    private static IHost SiloHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddQuizMessaging(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort());
            silo.AddQuizPersistence(connectionString: null);
            silo.AddQuizGrains(connectionString: null, questionDirectory: null);
        });
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
