using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Quiz.ServiceDefaults;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Security;

/// <summary>Issue 13: the bot token, which the Bot API puts in the URL, never leaves in an exported span.</summary>
public sealed class TelemetrySecretsTests
{
    private const string Token = "123456789:AAH-secret_Part0fTheToken";

    [Fact]
    public async Task ABotApiCallIsExportedWithTheTokenTakenOutOfItsUrl()
    {
        var exported = new List<Activity>();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddQuizServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));
        builder.Services.AddHttpClient("telegram");
        await using var app = builder.Build();
        await app.StartAsync();

        using var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("telegram");
        // Nothing listens there: the call fails, and its span (with the URL) is exported all the same.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{LoopbackGateway.FreePort()}/bot{Token}/getMe?offset=1"));
        await app.StopAsync();

        var call = Assert.Single(exported, a => a.Kind == ActivityKind.Client);
        Assert.EndsWith("/bot{token}/getMe?*", call.GetTagItem("url.full") as string ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(exported.SelectMany(a => a.TagObjects), tag => (tag.Value as string ?? "").Contains("secret_Part0f", StringComparison.Ordinal));
        Assert.DoesNotContain(exported, a => a.DisplayName.Contains("secret_Part0f", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://api.telegram.org/bot123:AbC-_x/sendMessage", "https://api.telegram.org/bot{token}/sendMessage")]
    [InlineData("http://127.0.0.1:5005/bot123456:sandbox-token/getUpdates?offset=3", "http://127.0.0.1:5005/bot{token}/getUpdates?offset=3")]
    [InlineData("https://api.telegram.org/file/bot42:Zz/photos/a.png", "https://api.telegram.org/file/bot{token}/photos/a.png")]
    [InlineData("https://example.com/robots.txt", "https://example.com/robots.txt")]
    public void TheTokenIsTakenOutOfAnyBotApiUrl(string url, string expected) =>
        Assert.Equal(expected, BotTokenRedaction.Redact(url));
}
