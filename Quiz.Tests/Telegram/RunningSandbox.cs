using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quiz.Sandbox;
using Telegram.Bot;

namespace Quiz.Tests.Telegram;

/// <summary>A started sandbox on a frozen clock, and a Telegram.Bot client that talks to it without retrying.</summary>
internal sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private RunningSandbox(WebApplication app, FakeTimeProvider clock, HttpClient http, TelegramBotClient bot)
    {
        _app = app;
        _http = http;
        Clock = clock;
        Bot = bot;
    }

    public FakeTimeProvider Clock { get; }

    public TelegramBotClient Bot { get; }

    public SandboxState State => _app.Services.GetRequiredService<SandboxState>();

    /// <summary>The sandbox's address (the chat page is at its root), ending in '/'.</summary>
    public Uri BaseUrl => SandboxApp.BaseUrl(_app);

    /// <summary>A client for the sandbox's own endpoints (<c>/sandbox/...</c>).</summary>
    public HttpClient Http => _http;

    public static async Task<RunningSandbox> StartAsync(SandboxOptions options)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var app = SandboxApp.Build(options, "http://127.0.0.1:0", configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        await app.StartAsync();
        var baseUrl = SandboxApp.BaseUrl(app);
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUrl };
        // RetryCount 0: a 429 must reach the test, not be waited out inside the client.
        var bot = new TelegramBotClient(new TelegramBotClientOptions(options.BotToken, baseUrl.ToString().TrimEnd('/')) { RetryCount = 0 }, http);
        return new RunningSandbox(app, clock, http, bot);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
