using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Quiz.Sandbox;

/// <summary>
/// The Bot API methods the bot uses, at <c>/bot{token}/{method}</c> (GET or POST; JSON, form or query parameters),
/// answering <c>{"ok":true,"result":...}</c> or <c>{"ok":false,"error_code":N,"description":"..."}</c> with HTTP status N.
/// </summary>
internal static class BotApi
{
    private delegate Task<object> Method(SandboxState state, BotRequest request, CancellationToken ct);

    private static readonly FrozenDictionary<string, Method> Methods = new Dictionary<string, Method>(StringComparer.OrdinalIgnoreCase)
    {
        ["getMe"] = (s, _, _) => Done(s.BotUser),
        ["setWebhook"] = (s, r, _) => Done(s.SetWebhook(
            r.String("url"),
            r.String("secret_token"),
            AllowedUpdates(r),
            r.Int("max_connections"),
            r.Bool("drop_pending_updates"))),
        ["deleteWebhook"] = (s, r, _) => Done(s.DeleteWebhook(r.Bool("drop_pending_updates"))),
        ["getWebhookInfo"] = (s, _, _) => Done(s.GetWebhookInfo()),
        ["getUpdates"] = async (s, r, ct) => await s.GetUpdatesAsync(r.Int("offset"), r.Int("limit"), r.Int("timeout"), AllowedUpdates(r), ct),
        ["sendMessage"] = (s, r, _) => Done(s.SendMessage(
            ChatId(r),
            r.String("text"),
            r.String("parse_mode"),
            r.Json("reply_markup", "Bad Request: can't parse reply keyboard markup JSON object"),
            r.Bool("allow_paid_broadcast"))),
        ["sendPhoto"] = (s, r, _) => Done(s.SendPhoto(
            ChatId(r),
            r.File("photo") ?? throw new BotApiException(400, "Bad Request: there is no photo in the request"),
            r.String("caption"),
            r.String("parse_mode"),
            r.Json("reply_markup", "Bad Request: can't parse reply keyboard markup JSON object"),
            r.Bool("allow_paid_broadcast"))),
        ["editMessageText"] = (s, r, _) => Done(s.EditMessageText(
            ChatId(r),
            MessageId(r),
            r.String("text"),
            r.String("parse_mode"),
            r.Json("reply_markup", "Bad Request: can't parse reply keyboard markup JSON object"))),
        ["editMessageReplyMarkup"] = (s, r, _) => Done(s.EditMessageReplyMarkup(
            ChatId(r),
            MessageId(r),
            r.Json("reply_markup", "Bad Request: can't parse reply keyboard markup JSON object"))),
        ["getChat"] = (s, r, _) => Done(s.GetChat(ChatId(r))),
        ["getChatMember"] = (s, r, _) => Done(s.GetChatMember(
            ChatId(r),
            r.Long("user_id") ?? throw new BotApiException(400, "Bad Request: invalid user_id specified"))),
        ["answerCallbackQuery"] = (s, r, _) => Done(s.AnswerCallbackQuery(r.String("callback_query_id"), r.String("text"), r.Bool("show_alert"))),
        ["deleteMessage"] = (s, r, _) => Done(s.DeleteMessage(ChatId(r), MessageId(r))),
        ["sendChatAction"] = (s, r, _) => Done(s.SendChatAction(ChatId(r))),
        ["setMyCommands"] = (s, r, _) => Done(s.SetCommands(Commands(r))),
        ["deleteMyCommands"] = (s, _, _) => Done(s.SetCommands([])),
        ["getMyCommands"] = (s, _, _) => Done(s.GetCommands()),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static async Task HandleAsync(HttpContext context, string token, string method, SandboxState state)
    {
        var ct = context.RequestAborted;
        if (!state.IsValidToken(token))
        {
            await WriteErrorAsync(context.Response, new BotApiException(401, "Unauthorized"), ct);
            return;
        }

        if (!Methods.TryGetValue(method, out var handler))
        {
            state.Logger.LogWarning("The bot called {Method}, which the sandbox does not implement: 404", method);
            await WriteErrorAsync(context.Response, new BotApiException(404, "Not Found"), ct);
            return;
        }

        try
        {
            var request = await BotRequest.ReadAsync(context.Request, ct);
            var result = await handler(state, request, ct);
            state.Logger.LogDebug("{Method} → ok", method);
            await WriteResultAsync(context.Response, result, ct);
        }
        catch (BotApiException ex)
        {
            state.Logger.LogInformation("{Method} → {ErrorCode} {Description}", method, ex.ErrorCode, ex.Message);
            await WriteErrorAsync(context.Response, ex, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The bot went away (a long poll it cancelled).
        }
    }

    /// <summary>Runs a method named in a webhook's response body.</summary>
    public static Task<object> ExecuteAsync(SandboxState state, string method, BotRequest request, CancellationToken ct) =>
        Methods.TryGetValue(method, out var handler) ? handler(state, request, ct) : throw new BotApiException(404, "Not Found");

    private static Task<object> Done(object result) => Task.FromResult(result);

    private static long ChatId(BotRequest request)
    {
        var raw = request.String("chat_id");
        if (string.IsNullOrEmpty(raw))
        {
            throw new BotApiException(400, "Bad Request: chat_id is empty");
        }

        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BotApiException(400, "Bad Request: chat not found");
    }

    private static int MessageId(BotRequest request)
    {
        if (request.Has("inline_message_id"))
        {
            throw new BotApiException(400, "Bad Request: the sandbox does not support inline messages");
        }

        return request.Int("message_id") ?? throw new BotApiException(400, "Bad Request: message identifier is not specified");
    }

    private static List<string>? AllowedUpdates(BotRequest request)
    {
        if (request.Json("allowed_updates", "Bad Request: can't parse allowed updates") is not { } json)
        {
            return null;
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new BotApiException(400, "Bad Request: can't parse allowed updates");
        }

        return [.. json.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
    }

    private static BotCommand[] Commands(BotRequest request)
    {
        var json = request.Json("commands", "Bad Request: can't parse commands JSON object")
            ?? throw new BotApiException(400, "Bad Request: parameter \"commands\" is required");
        try
        {
            return json.Deserialize<BotCommand[]>(JsonBotAPI.Options) ?? [];
        }
        catch (JsonException)
        {
            throw new BotApiException(400, "Bad Request: can't parse commands JSON object");
        }
    }

    private static async Task WriteResultAsync(HttpResponse response, object result, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        var json = $$"""{"ok":true,"result":{{JsonSerializer.Serialize(result, result.GetType(), SandboxJson.Write)}}}""";
        await response.WriteAsync(json, ct);
    }

    private static async Task WriteErrorAsync(HttpResponse response, BotApiException error, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["ok"] = false,
            ["error_code"] = error.ErrorCode,
            ["description"] = error.Message,
        };
        if (error.RetryAfter is { } retryAfter)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = retryAfter };
        }

        response.StatusCode = error.ErrorCode;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString(SandboxJson.Write), ct);
    }
}
