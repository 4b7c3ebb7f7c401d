using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Quiz.Sandbox;

/// <summary>Builds the sandbox: the Bot API stand-in at <c>/bot{token}/{method}</c> and the chat page at <c>/</c>.</summary>
public static class SandboxApp
{
    /// <summary>
    /// Builds (does not start) the app, listening on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:0</c>).
    /// <paramref name="configure"/> may add configuration or services before the app is built (e.g. a <see cref="TimeProvider"/>).
    /// </summary>
    public static WebApplication Build(SandboxOptions options, string urls, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(urls);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ApplicationName = typeof(SandboxApp).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(urls);
        // ASP.NET Core logs request paths, and every Bot API path carries the bot token.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SandboxState>();
        configure?.Invoke(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);

        var app = builder.Build();
        var state = app.Services.GetRequiredService<SandboxState>();
        app.Lifetime.ApplicationStopping.Register(state.Stop);
        if (options.DemoGroup)
        {
            state.CreateDemoGroup();
        }

        Map(app, options);
        return app;
    }

    /// <summary>The address the started app listens on (port 0 resolved), ending in '/'.</summary>
    public static Uri BaseUrl(WebApplication startedApp)
    {
        ArgumentNullException.ThrowIfNull(startedApp);
        var address = startedApp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The sandbox is not listening yet: start it first.");
        var builder = new UriBuilder(address);
        if (builder.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            builder.Host = "127.0.0.1";
        }

        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static void Map(WebApplication app, SandboxOptions options)
    {
        // Not the template "/bot{token}/...": ASP.NET Core matches a segment's literal from the right, so a token that
        // holds "bot" itself (any case) would not match it.
        app.MapMethods("/{botToken}/{method}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context, string botToken, string method, SandboxState state) =>
        {
            if (!botToken.StartsWith("bot", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return BotApi.HandleAsync(context, botToken[3..], method, state);
        });

        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Text(ChatPage.Html, "text/html; charset=utf-8");
        });

        var sandbox = app.MapGroup("/sandbox");
        sandbox.MapGet("/messages", async (SandboxState state, long? chatId, long? userId, long? since, int? wait, CancellationToken ct) =>
            Results.Json(await state.WaitForPageAsync(
                chatId ?? options.ChatPageUserId,
                userId,
                since ?? 0,
                TimeSpan.FromSeconds(Math.Clamp(wait ?? 0, 0, 30)),
                ct)));
        sandbox.MapGet("/photo", (SandboxState state, long chatId, int messageId) =>
            state.PhotoIn(chatId, messageId) is { } photo
                ? Results.File(photo, photo[0] == 0x89 ? "image/png" : "image/jpeg")
                : Results.NotFound());
        sandbox.MapPost("/send", (SandboxState state, PageSendRequest body, CancellationToken ct) =>
            Deliver(() =>
            {
                var (chatId, userId) = ChatAndPerson(body.ChatId, body.UserId, options);
                if (body.LanguageCode is { Length: > 0 } language)
                {
                    state.SetLanguage(userId, language);
                }

                return chatId < 0 ? state.SendGroupTextAsync(chatId, userId, body.Text, ct) : state.SendTextAsync(userId, body.Text, ct);
            }));
        sandbox.MapPost("/tap", (SandboxState state, PageTapRequest body, CancellationToken ct) =>
            Deliver(() =>
            {
                var (chatId, userId) = ChatAndPerson(body.ChatId, body.UserId, options);
                return state.TapAsync(chatId, userId, body.MessageId, body.Data, ct);
            }));
        sandbox.MapPost("/block", (SandboxState state, PageUserRequest body, CancellationToken ct) =>
            Deliver(() => state.BlockBotAsync(body.UserId ?? options.ChatPageUserId, ct)));
        sandbox.MapPost("/restart", (SandboxState state, PageUserRequest body, CancellationToken ct) =>
            Deliver(async () =>
            {
                var userId = body.UserId ?? options.ChatPageUserId;
                var status = await state.UnblockBotAsync(userId, ct);
                return (int)status is >= 200 and <= 299 ? await state.SendTextAsync(userId, "/start", ct) : status;
            }));
        sandbox.MapGet("/state", (SandboxState state) => Results.Json(new
        {
            state.Webhook?.Url,
            Mode = state.Webhook is null ? "polling" : "webhook",
            state.PendingUpdateCount,
            state.LastUpdateId,
            state.SendsAccepted,
            state.TooManyRequests,
            state.MaxSendsInAnySecond,
            state.BroadcastsAccepted,
            state.PaidBroadcastsAccepted,
            state.RepliesAccepted,
            state.MaxBroadcastsInAnySecond,
            state.PerChatLimited,
            state.BroadcastLimited,
            state.GroupLimited,
            CallbackAnswers = state.CallbackAnswers.Count,
            state.Groups,
        }));
        GroupEndpoints.Map(sandbox, options);
    }

    /// <summary>
    /// The page's actions answer {status, error}: the gateway's status, or why it could not be reached, or 400 with
    /// why the sandbox refused the action (no such message, not a member of that group).
    /// </summary>
    internal static async Task<IResult> Deliver(Func<Task<HttpStatusCode>> deliver)
    {
        try
        {
            return Results.Json(new PageDeliveryResult((int)await deliver(), null));
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            return Results.Json(new PageDeliveryResult(StatusCodes.Status502BadGateway, ex.Message));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return Refused(ex);
        }
    }

    internal static IResult Refused(Exception ex) =>
        Results.Json(new PageDeliveryResult(StatusCodes.Status400BadRequest, ex.Message), statusCode: StatusCodes.Status400BadRequest);

    /// <summary>
    /// The chat and the person of a send or tap: a group's id with the member's user id, or a private chat, whose id is
    /// its person's; either may be left out (the chat page's person by default).
    /// </summary>
    private static (long ChatId, long UserId) ChatAndPerson(long? chatId, long? userId, SandboxOptions options)
    {
        var person = userId ?? (chatId > 0 ? chatId.Value : options.ChatPageUserId);
        var chat = chatId ?? person;
        return chat > 0 && chat != person
            ? throw new ArgumentException($"Private chat {chat} is its person's (user {chat}), not user {person}'s.", nameof(chatId))
            : (chat, person);
    }
}

/// <summary>ChatId: a group's id (the person is then one of its members), or left out for the person's private chat.</summary>
internal sealed record PageSendRequest(long? UserId, string Text, string? LanguageCode = null, long? ChatId = null);

internal sealed record PageTapRequest(long? UserId, int MessageId, string Data, long? ChatId = null);

internal sealed record PageUserRequest(long? UserId);

internal sealed record PageDeliveryResult(int Status, string? Error);

internal static class ChatPage
{
    private static readonly Lazy<string> Content = new(() =>
    {
        using var stream = typeof(ChatPage).Assembly.GetManifestResourceStream("Quiz.Sandbox.ChatPage.html")
            ?? throw new InvalidOperationException("The chat page resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Html => Content.Value;
}
