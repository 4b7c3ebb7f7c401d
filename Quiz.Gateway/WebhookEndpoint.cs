using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Quiz.Gateway;

/// <summary>
/// <c>POST /telegram/webhook</c>. A wrong secret is 401, a body over the limit 413, malformed JSON or an update not
/// shaped as Telegram sends it 400: none of them touches the cluster. 200 comes as soon as the grain made the effect
/// and the replies it owes durable (the outbox sends them), never later and never before; if the cluster, the database
/// or a grain fails first the answer is 503, so that Telegram delivers again. A tap's toast rides on the 200.
/// </summary>
public static partial class WebhookEndpoint
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, UpdateRouter router, IOptions<GatewayOptions> options, ILoggerFactory loggers)
    {
        var settings = options.Value;
        if (settings.Mode != UpdateMode.Webhook || !SecretMatches(context.Request.Headers[SecretHeader].ToString(), settings.WebhookSecret!))
        {
            return Results.Unauthorized();
        }

        if (context.Request.ContentLength > settings.MaxUpdateBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxUpdateBytes;
        }

        Update? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Telegram.Bot's converters reject some shapes with more than JsonException (a polymorphic object without its
            // discriminator, a date past DateTime's range): whatever the reader throws, the body is not an update.
            LogNotAnUpdate(loggers.CreateLogger(typeof(WebhookEndpoint)), exception.GetType().Name, exception.Message);
            return Results.BadRequest("The body is not a Telegram Update.");
        }

        if (update is null)
        {
            return Results.BadRequest("The body is not a Telegram Update.");
        }

        var log = loggers.CreateLogger(typeof(WebhookEndpoint));
        try
        {
            var routed = await router.RouteAsync(update);
            return routed switch
            {
                { Result: RouteResult.Malformed } => Results.BadRequest("The update is not shaped as Telegram sends it."),
                // Telegram executes one Bot API method given in the webhook's response: the toast costs no call of our own
                // (https://core.telegram.org/bots/api#making-requests-when-getting-updates).
                { Toast: { } toast } => Results.Json(new Dictionary<string, string>
                {
                    ["method"] = "answerCallbackQuery",
                    ["callback_query_id"] = toast.CallbackQueryId,
                    ["text"] = toast.Text,
                }),
                _ => Results.Ok(),
            };
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The cluster, the database or a grain failed before the effect was durable: Telegram must deliver again.
            LogNotHandled(log, update.Id, exception.GetType().Name, exception);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static bool SecretMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    [LoggerMessage(Level = LogLevel.Debug, Message = "A webhook body was refused as not a Telegram update ({ExceptionType}: {Reason})")]
    private static partial void LogNotAnUpdate(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} not handled ({ExceptionType}); answering 503 so that Telegram delivers it again")]
    private static partial void LogNotHandled(ILogger logger, int updateId, string exceptionType, Exception exception);
}
