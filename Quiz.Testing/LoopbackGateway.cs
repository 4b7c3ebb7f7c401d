using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Quiz.Gateway;

namespace Quiz.Testing;

/// <summary>The real webhook gateway on loopback, as an Orleans client of a <see cref="QuizTestCluster"/>.</summary>
public static class LoopbackGateway
{
    public const string BotToken = "123456:test-token";
    public const string WebhookSecret = "Lb7q2XnR9vT4mK8sW3zY6pD1fH5jC0aE";

    /// <summary>A gateway app for <paramref name="cluster"/> with the test settings, built but not started.</summary>
    public static WebApplication Build(
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

    /// <summary>A loopback port free now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
