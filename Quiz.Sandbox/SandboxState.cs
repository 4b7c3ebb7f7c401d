using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Quiz.Sandbox;

/// <summary>A message the bot sent, as it stands now (after edits). <see cref="Text"/> is the text as the bot sent it.</summary>
public sealed record SandboxMessage(
    int MessageId,
    long ChatId,
    string Text,
    string? ParseMode,
    IReadOnlyList<SandboxButton> Buttons,
    DateTimeOffset SentAt,
    bool Edited)
{
    /// <summary>The text as the person sees it: HTML tags removed and entities decoded, as Telegram returns it.</summary>
    public string PlainText { get; init; } = Text;

    /// <summary>Whether the bot sent it with <c>allow_paid_broadcast=true</c> (reply or broadcast alike).</summary>
    public bool PaidBroadcast { get; init; }

    /// <summary>The image of a sendPhoto, as uploaded; <see cref="Text"/> is then its caption.</summary>
    public byte[]? Photo { get; init; }

    /// <summary>
    /// Whether sendMessage counted it as a broadcast: the person had sent the bot no update within
    /// <see cref="SandboxOptions.ReplyWindowSeconds"/>. False for a reply.
    /// </summary>
    public bool IsBroadcast { get; init; }

    /// <summary>When the bot last edited it, if it did.</summary>
    public DateTimeOffset? EditedAt { get; init; }
}

/// <summary>An inline keyboard button; <see cref="CallbackData"/> is empty for a button of another kind (a URL).</summary>
public sealed record SandboxButton(string Text, string CallbackData);

public sealed record CallbackAnswer(string CallbackQueryId, string? Text);

/// <summary>A sendMessage the sandbox counted as a broadcast: to which chat, which message, when, and whether paid.</summary>
public sealed record SandboxBroadcast(long ChatId, int MessageId, DateTimeOffset SentAt, bool PaidBroadcast);

public sealed record WebhookRegistration(string Url, string? SecretToken, IReadOnlyList<string> AllowedUpdates, int? MaxConnections);

/// <summary>
/// Everything the sandbox knows: the chats, the webhook, the queue for getUpdates, and the counters tests read.
/// The Bot API endpoints change it; tests and the chat page act as the person through its public methods.
/// </summary>
public sealed class SandboxState : IDisposable
{
    public const string SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const string BlockedDescription = "Forbidden: bot was blocked by the user";
    /// <summary>sendPhoto's limits on an uploaded photo and its caption (https://core.telegram.org/bots/api#sendphoto).</summary>
    private const int MaxPhotoBytes = 10 * 1024 * 1024;
    private const int MaxCaptionLength = 1024;

    private const string NotModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    private const string QueryInvalid = "Bad Request: query is too old and response timeout expired or query ID is invalid";

    /// <summary>The update types Telegram sends when allowed_updates is empty (all but these three).</summary>
    private static readonly string[] NotSentByDefault = ["chat_member", "message_reaction", "message_reaction_count"];

    private readonly Lock _lock = new();
    private readonly SandboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SandboxState> _logger;
    private readonly HttpClient _webhookClient;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<long, ChatLog> _chats = [];
    private readonly List<PendingUpdate> _pending = [];
    private readonly Queue<int> _failNext = new();
    private readonly SlidingWindow _sendWindow = new();
    private readonly List<SandboxBroadcast> _broadcasts = [];
    private readonly SendLimits _limits;
    private readonly List<CallbackAnswer> _callbackAnswers = [];
    private readonly Dictionary<string, CallbackQueryState> _callbackQueries = new(StringComparer.Ordinal);
    private readonly List<PageNotice> _notices = [];
    private WebhookRegistration? _webhook;
    private IReadOnlyList<string> _allowedUpdates = [];
    private BotCommand[] _commands = [];
    private string? _lastWebhookError;
    private DateTimeOffset? _lastWebhookErrorAt;
    private bool _lastDeliveryFailed;
    private Update? _lastUpdate;
    private int _lastUpdateId;
    private long _callbackSequence;
    private long _version;
    private bool _flushing;
    private bool _disposed;
    private int _sendsAccepted;
    private int _tooManyRequests;
    private int _maxSendsInAnySecond;
    private int _redeliveries;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SandboxState(SandboxOptions options, TimeProvider time, ILogger<SandboxState> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _limits = new SendLimits(options);
        _time = time;
        _logger = logger;
        _webhookClient = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        BotUser = new User
        {
            Id = long.Parse(options.BotToken.AsSpan(0, options.BotToken.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture),
            IsBot = true,
            FirstName = "Quiz",
            Username = "quiz_sandbox_bot",
            CanJoinGroups = false,
        };
    }

    /// <summary>The bot itself, as getMe returns it.</summary>
    public User BotUser { get; }

    public IReadOnlyList<CallbackAnswer> CallbackAnswers
    {
        get
        {
            lock (_lock)
            {
                return [.. _callbackAnswers];
            }
        }
    }

    public WebhookRegistration? Webhook
    {
        get
        {
            lock (_lock)
            {
                return _webhook;
            }
        }
    }

    /// <summary>Updates delivered again after the webhook did not acknowledge them (<see cref="SandboxOptions.RedeliverFor"/>).</summary>
    public int Redeliveries => Volatile.Read(ref _redeliveries);

    public int SendsAccepted
    {
        get
        {
            lock (_lock)
            {
                return _sendsAccepted;
            }
        }
    }

    public int TooManyRequests
    {
        get
        {
            lock (_lock)
            {
                return _tooManyRequests;
            }
        }
    }

    public int MaxSendsInAnySecond
    {
        get
        {
            lock (_lock)
            {
                return _maxSendsInAnySecond;
            }
        }
    }

    /// <summary>Accepted sendMessage calls counted as broadcasts, paid or not.</summary>
    public int BroadcastsAccepted
    {
        get
        {
            lock (_lock)
            {
                return _limits.BroadcastsAccepted;
            }
        }
    }

    /// <summary>Accepted broadcasts sent with <c>allow_paid_broadcast=true</c>.</summary>
    public int PaidBroadcastsAccepted
    {
        get
        {
            lock (_lock)
            {
                return _limits.PaidBroadcastsAccepted;
            }
        }
    }

    /// <summary>Accepted sendMessage calls counted as replies, plus accepted editMessageText and editMessageReplyMarkup calls.</summary>
    public int RepliesAccepted
    {
        get
        {
            lock (_lock)
            {
                return _limits.RepliesAccepted;
            }
        }
    }

    /// <summary>The most broadcasts accepted in any sliding one-second window.</summary>
    public int MaxBroadcastsInAnySecond
    {
        get
        {
            lock (_lock)
            {
                return _limits.MaxBroadcastsInAnySecond;
            }
        }
    }

    /// <summary>Calls answered 429 by <see cref="SandboxOptions.PerChatBurst"/>.</summary>
    public int PerChatLimited
    {
        get
        {
            lock (_lock)
            {
                return _limits.PerChatLimited;
            }
        }
    }

    /// <summary>Broadcasts answered 429 by <see cref="SandboxOptions.MaxMessagesPerSecond"/> or <see cref="SandboxOptions.MaxPaidMessagesPerSecond"/>.</summary>
    public int BroadcastLimited
    {
        get
        {
            lock (_lock)
            {
                return _limits.BroadcastLimited;
            }
        }
    }

    /// <summary>Every accepted broadcast, in order of arrival (a copy).</summary>
    public IReadOnlyList<SandboxBroadcast> Broadcasts
    {
        get
        {
            lock (_lock)
            {
                return [.. _broadcasts];
            }
        }
    }

    /// <summary>When each accepted broadcast arrived, in order (a copy).</summary>
    public IReadOnlyList<DateTimeOffset> BroadcastTimes
    {
        get
        {
            lock (_lock)
            {
                return [.. _broadcasts.Select(b => b.SentAt)];
            }
        }
    }

    public long LastUpdateId
    {
        get
        {
            lock (_lock)
            {
                return _lastUpdateId;
            }
        }
    }

    /// <summary>Updates waiting for getUpdates (or for a webhook that refused them).</summary>
    public int PendingUpdateCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    internal ILogger Logger => _logger;

    internal SandboxOptions Options => _options;

    /// <summary>The image of a photo the bot sent to a chat, or null.</summary>
    public byte[]? PhotoIn(long chatId, int messageId)
    {
        lock (_lock)
        {
            return _chats.TryGetValue(chatId, out var chat) ? chat.Find(messageId)?.Photo : null;
        }
    }

    /// <summary>The bot's messages in this chat, in order, each as it stands after edits (deleted ones left out).</summary>
    public IReadOnlyList<SandboxMessage> MessagesIn(long chatId)
    {
        lock (_lock)
        {
            if (!_chats.TryGetValue(chatId, out var chat))
            {
                return [];
            }

            return chat.Messages.Where(m => m.FromBot && !m.Deleted).Select(m => ToSandboxMessage(chat, m)).ToList();
        }
    }

    /// <summary>
    /// From now on sendMessage, editMessageText and editMessageReplyMarkup for this chat answer
    /// <paramref name="statusCode"/> with <paramref name="description"/> (429 also carries retry_after 1).
    /// A status code of 0 clears it (and so unblocks a chat that <see cref="BlockBotAsync"/> blocked).
    /// </summary>
    public void RespondToChat(long chatId, int statusCode, string description)
    {
        if (statusCode != 0 && statusCode < 400)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Use 0 to clear, or an error status (400 or more).");
        }

        lock (_lock)
        {
            var chat = GetOrCreateChat(chatId);
            chat.Forced = statusCode == 0 ? null : new ForcedResponse(statusCode, description);
            Touch();
        }
    }

    /// <summary>How many calls to this chat were refused with the response <see cref="RespondToChat"/> forced on it.</summary>
    public int RefusedSendsTo(long chatId)
    {
        lock (_lock)
        {
            return _chats.TryGetValue(chatId, out var chat) ? chat.ForcedRefusals : 0;
        }
    }

    /// <summary>The next <paramref name="count"/> sendMessage calls, whatever the chat, answer <paramref name="statusCode"/>. Returns how many are now queued.</summary>
    public int FailNextRequests(int statusCode, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _failNext.Enqueue(statusCode);
            }

            return _failNext.Count;
        }
    }

    /// <summary>Sets the Telegram language of the person <paramref name="userId"/>, as their app would report it.</summary>
    public void SetLanguage(long userId, string languageCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(languageCode);
        lock (_lock)
        {
            GetOrCreateChat(userId).LanguageCode = languageCode;
        }
    }

    /// <summary>The person types <paramref name="text"/>: a Message update in their private chat.</summary>
    /// <returns>The gateway's HTTP status; 200 when queued for getUpdates; 204 when allowed_updates excludes messages.</returns>
    public async Task<HttpStatusCode> SendTextAsync(long userId, string text, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(userId);
        ArgumentException.ThrowIfNullOrEmpty(text);
        StoredMessage message;
        Delivery delivery;
        lock (_lock)
        {
            var chat = GetOrCreateChat(userId);
            message = new StoredMessage
            {
                Id = ++chat.LastMessageId,
                FromBot = false,
                RawText = text,
                Formatted = TelegramText.FromUser(text),
                SentAt = _time.GetUtcNow(),
            };
            chat.Messages.Add(message);
            var sent = message;
            delivery = Enqueue("message", id => new Update { Id = id, Message = ToMessage(chat, sent) });
            RecordUpdateFromPerson(chat, delivery, message.SentAt);
            message.Version = Touch();
        }

        return await DeliverAndRecordAsync(delivery, message, ct);
    }

    /// <summary>The person taps a button of the bot's message <paramref name="messageId"/>: a CallbackQuery update that carries that message.</summary>
    public async Task<HttpStatusCode> TapAsync(long userId, int messageId, string callbackData, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(callbackData);
        Delivery delivery;
        lock (_lock)
        {
            if (!_chats.TryGetValue(userId, out var chat) || chat.Find(messageId) is not { FromBot: true } message)
            {
                throw new InvalidOperationException($"The bot sent no message {messageId} to chat {userId}.");
            }

            var queryId = (4_300_000_000_000_000L + ++_callbackSequence).ToString(CultureInfo.InvariantCulture);
            _callbackQueries[queryId] = new CallbackQueryState(userId);
            delivery = Enqueue("callback_query", id => new Update
            {
                Id = id,
                CallbackQuery = new CallbackQuery
                {
                    Id = queryId,
                    From = chat.ToUser(),
                    Message = ToMessage(chat, message),
                    ChatInstance = ChatInstance(userId),
                    Data = callbackData,
                },
            });
            RecordUpdateFromPerson(chat, delivery, _time.GetUtcNow());
            Touch();
        }

        return await DeliverAsync(delivery, ct);
    }

    /// <summary>
    /// The person blocks the bot: a my_chat_member update (member → kicked). Until <see cref="UnblockBotAsync"/>
    /// (or <c>RespondToChat(userId, 0, "")</c>) sends to this chat answer 403 "Forbidden: bot was blocked by the user".
    /// </summary>
    public async Task<HttpStatusCode> BlockBotAsync(long userId, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(userId);
        Delivery delivery;
        lock (_lock)
        {
            var chat = GetOrCreateChat(userId);
            chat.Forced = new ForcedResponse(403, BlockedDescription);
            delivery = Enqueue("my_chat_member", id => new Update
            {
                Id = id,
                MyChatMember = new ChatMemberUpdated
                {
                    Chat = chat.ToChat(),
                    From = chat.ToUser(),
                    Date = _time.GetUtcNow().UtcDateTime,
                    OldChatMember = new ChatMemberMember { User = BotUser },
                    NewChatMember = new ChatMemberBanned { User = BotUser },
                },
            });
            Touch();
        }

        return await DeliverAsync(delivery, ct);
    }

    /// <summary>The person restarts the bot after blocking it: a my_chat_member update (kicked → member); sends work again.</summary>
    public async Task<HttpStatusCode> UnblockBotAsync(long userId, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(userId);
        Delivery delivery;
        lock (_lock)
        {
            var chat = GetOrCreateChat(userId);
            chat.Forced = null;
            delivery = Enqueue("my_chat_member", id => new Update
            {
                Id = id,
                MyChatMember = new ChatMemberUpdated
                {
                    Chat = chat.ToChat(),
                    From = chat.ToUser(),
                    Date = _time.GetUtcNow().UtcDateTime,
                    OldChatMember = new ChatMemberBanned { User = BotUser },
                    NewChatMember = new ChatMemberMember { User = BotUser },
                },
            });
            Touch();
        }

        return await DeliverAsync(delivery, ct);
    }

    /// <summary>
    /// Delivers the last update again with the same update_id, as Telegram does when it did not get a 2xx in time.
    /// Without a webhook it is queued again for getUpdates (and returned once even if the offset already passed it).
    /// </summary>
    public async Task<HttpStatusCode> RedeliverLastUpdateAsync(CancellationToken ct = default)
    {
        WebhookRegistration hook;
        Update update;
        lock (_lock)
        {
            update = _lastUpdate ?? throw new InvalidOperationException("No update has been sent yet.");
            if (_webhook is null)
            {
                _pending.Add(new PendingUpdate(update) { IgnoresOffset = true });
                Touch();
                return HttpStatusCode.OK;
            }

            hook = _webhook;
        }

        return await PostUpdateAsync(hook, update, ct);
    }

    /// <summary>POSTs <paramref name="body"/> as it is to the webhook, with the secret header when <paramref name="secretToken"/> is not null.</summary>
    public async Task<HttpStatusCode> PostRawAsync(string body, string? secretToken, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        string url;
        lock (_lock)
        {
            url = _webhook?.Url ?? throw new InvalidOperationException("No webhook is set: the bot has not called setWebhook.");
            RegisterRawCallbackQuery(body);
        }

        return await PostAsync(url, secretToken, body, ct);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _webhookClient.Dispose();
    }

    // ---- Bot API methods (called by BotApi) ----

    internal bool IsValidToken(string token) => string.Equals(token, _options.BotToken, StringComparison.Ordinal);

    /// <summary>
    /// sendPhoto with an uploaded file: a PNG or JPEG of at most 10 MB, with a caption of at most 1,024 characters
    /// (https://core.telegram.org/bots/api#sendphoto); counted and limited as any message.
    /// </summary>
    internal Message SendPhoto(long chatId, byte[] photo, string? caption, string? parseMode, JsonElement? replyMarkup, bool allowPaidBroadcast)
    {
        if (photo.Length > MaxPhotoBytes)
        {
            throw new BotApiException(400, "Bad Request: PHOTO_INVALID_DIMENSIONS");
        }

        if (!IsPng(photo) && !IsJpeg(photo))
        {
            throw new BotApiException(400, "Bad Request: IMAGE_PROCESS_FAILED");
        }

        if ((caption ?? "").Length > MaxCaptionLength)
        {
            throw new BotApiException(400, "Bad Request: message caption is too long");
        }

        return SendMessage(chatId, caption ?? "", parseMode, replyMarkup, allowPaidBroadcast, photo);
    }

    internal Message SendMessage(long chatId, string? text, string? parseMode, JsonElement? replyMarkup, bool allowPaidBroadcast, byte[]? photo = null)
    {
        var formatted = photo is not null && string.IsNullOrWhiteSpace(text)
            ? new FormattedText("", [])
            : TelegramText.Format(text ?? "", parseMode);
        var markup = Keyboards.Parse(replyMarkup);
        lock (_lock)
        {
            var chat = GetOrCreateChat(chatId);
            ThrowIfForced(chat);
            if (_failNext.TryDequeue(out var failure))
            {
                throw CountedError(BotApiException.ForStatus(failure));
            }

            var now = _time.GetUtcNow();
            var broadcast = !_limits.IsReply(chat.LastUpdateFromPersonAt, now);
            if (_limits.RefuseSend(chat.RecentSends, now, broadcast, allowPaidBroadcast) is { } refused)
            {
                throw CountedError(refused);
            }

            _limits.AcceptSend(chat.RecentSends, now, broadcast, allowPaidBroadcast);
            _sendsAccepted++;
            _maxSendsInAnySecond = Math.Max(_maxSendsInAnySecond, _sendWindow.Add(now, TimeSpan.FromSeconds(1)));

            var message = new StoredMessage
            {
                Id = ++chat.LastMessageId,
                FromBot = true,
                RawText = text!,
                ParseMode = TelegramText.CanonicalParseMode(parseMode),
                Formatted = formatted,
                Markup = markup,
                SentAt = now,
                PaidBroadcast = allowPaidBroadcast,
                IsBroadcast = broadcast,
                Photo = photo,
            };
            chat.Messages.Add(message);
            if (broadcast)
            {
                _broadcasts.Add(new SandboxBroadcast(chat.Id, message.Id, now, allowPaidBroadcast));
            }

            message.Version = Touch();
            return ToMessage(chat, message);
        }
    }

    internal Message EditMessageText(long chatId, int messageId, string? text, string? parseMode, JsonElement? replyMarkup)
    {
        var formatted = TelegramText.Format(text ?? "", parseMode);
        var markup = Keyboards.Parse(replyMarkup);
        lock (_lock)
        {
            var (chat, message) = FindEditable(chatId, messageId);
            if (message.Formatted.SameAs(formatted) && Keyboards.Same(message.Markup, markup))
            {
                throw new BotApiException(400, NotModified);
            }

            var now = _time.GetUtcNow();
            if (_limits.RefuseTextEdit(chat.RecentSends, now) is { } refused)
            {
                throw CountedError(refused);
            }

            _limits.AcceptTextEdit(chat.RecentSends, now);
            message.RawText = text!;
            message.ParseMode = TelegramText.CanonicalParseMode(parseMode);
            message.Formatted = formatted;
            message.Markup = markup;
            message.EditedAt = now;
            message.Version = Touch();
            return ToMessage(chat, message);
        }
    }

    internal Message EditMessageReplyMarkup(long chatId, int messageId, JsonElement? replyMarkup)
    {
        var markup = Keyboards.Parse(replyMarkup);
        lock (_lock)
        {
            var (chat, message) = FindEditable(chatId, messageId);
            if (Keyboards.Same(message.Markup, markup))
            {
                throw new BotApiException(400, NotModified);
            }

            _limits.AcceptMarkupEdit();
            message.Markup = markup;
            message.EditedAt = _time.GetUtcNow();
            message.Version = Touch();
            return ToMessage(chat, message);
        }
    }

    internal bool DeleteMessage(long chatId, int messageId)
    {
        lock (_lock)
        {
            if (!_chats.TryGetValue(chatId, out var chat) || chat.Find(messageId) is not { } message)
            {
                throw new BotApiException(400, "Bad Request: message to delete not found");
            }

            ThrowIfForced(chat);
            message.Deleted = true;
            message.Version = Touch();
            return true;
        }
    }

    internal bool SendChatAction(long chatId)
    {
        lock (_lock)
        {
            ThrowIfForced(GetOrCreateChat(chatId));
            return true;
        }
    }

    internal bool AnswerCallbackQuery(string? queryId, string? text, bool showAlert)
    {
        lock (_lock)
        {
            if (queryId is null || !_callbackQueries.TryGetValue(queryId, out var query) || query.Answered)
            {
                throw new BotApiException(400, QueryInvalid);
            }

            query.Answered = true;
            _callbackAnswers.Add(new CallbackAnswer(queryId, text));
            var version = Touch();
            if (!string.IsNullOrEmpty(text))
            {
                _notices.Add(new PageNotice(query.ChatId, text, showAlert, version));
            }

            return true;
        }
    }

    internal bool SetWebhook(string? url, string? secretToken, IReadOnlyList<string>? allowedUpdates, int? maxConnections, bool dropPending)
    {
        if (string.IsNullOrEmpty(url))
        {
            return DeleteWebhook(dropPending);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new BotApiException(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        }

        if (secretToken is { Length: > 0 } && (secretToken.Length > 256 || !secretToken.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            throw new BotApiException(400, "Bad Request: secret token contains unallowed characters");
        }

        if (maxConnections is < 1 or > 100)
        {
            throw new BotApiException(400, "Bad Request: bad webhook: max_connections must be between 1 and 100");
        }

        bool flush;
        lock (_lock)
        {
            if (allowedUpdates is not null)
            {
                _allowedUpdates = allowedUpdates;
            }

            _webhook = new WebhookRegistration(url, string.IsNullOrEmpty(secretToken) ? null : secretToken, _allowedUpdates, maxConnections);
            _lastWebhookError = null;
            _lastWebhookErrorAt = null;
            _lastDeliveryFailed = false;
            if (dropPending)
            {
                _pending.Clear();
            }

            flush = _pending.Count > 0 && !_flushing;
            _flushing |= flush;
            Touch();
        }

        _logger.LogInformation("Webhook set to {Url}; updates are now POSTed there", url);
        if (flush)
        {
            _ = Task.Run(FlushPendingAsync);
        }

        return true;
    }

    internal bool DeleteWebhook(bool dropPending)
    {
        lock (_lock)
        {
            if (_webhook is not null)
            {
                _logger.LogInformation("Webhook deleted; updates now wait for getUpdates");
            }

            _webhook = null;
            if (dropPending)
            {
                _pending.Clear();
            }

            Touch();
        }

        return true;
    }

    internal WebhookInfo GetWebhookInfo()
    {
        lock (_lock)
        {
            return new WebhookInfo
            {
                Url = _webhook?.Url ?? "",
                PendingUpdateCount = _pending.Count,
                MaxConnections = _webhook?.MaxConnections,
                AllowedUpdates = _webhook is null || _allowedUpdates.Count == 0 ? null : [.. _allowedUpdates.Select(ToUpdateType).OfType<UpdateType>()],
                LastErrorDate = _lastWebhookErrorAt?.UtcDateTime,
                LastErrorMessage = _lastWebhookError,
            };
        }
    }

    internal async Task<Update[]> GetUpdatesAsync(int? offset, int? limit, int? timeout, IReadOnlyList<string>? allowedUpdates, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 100);
        lock (_lock)
        {
            if (_webhook is not null)
            {
                throw new BotApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            if (allowedUpdates is not null)
            {
                _allowedUpdates = allowedUpdates;
            }

            if (offset is > 0)
            {
                _pending.RemoveAll(p => !p.IgnoresOffset && p.Update.Id < offset);
            }
            else if (offset is < 0)
            {
                var keep = -offset.Value;
                if (_pending.Count > keep)
                {
                    _pending.RemoveRange(0, _pending.Count - keep);
                }
            }
        }

        var wait = TimeSpan.FromSeconds(Math.Clamp(timeout ?? 0, 0, 600));
        var updates = await WaitAsync(() => TakePending(take), wait, ct);
        return updates ?? [];
    }

    internal bool SetCommands(BotCommand[] commands)
    {
        lock (_lock)
        {
            _commands = commands;
            return true;
        }
    }

    internal BotCommand[] GetCommands()
    {
        lock (_lock)
        {
            return _commands;
        }
    }

    // ---- the chat page ----

    internal async Task<PageSnapshot> WaitForPageAsync(long chatId, long since, TimeSpan wait, CancellationToken ct)
    {
        await WaitAsync(() => _version > since ? this : null, wait, ct);
        lock (_lock)
        {
            var messages = new List<PageMessage>();
            var blocked = false;
            if (_chats.TryGetValue(chatId, out var chat))
            {
                blocked = chat.Forced is { Description: BlockedDescription };
                messages.AddRange(chat.Messages.Where(m => m.Version > since).Select(m => PageView.Message(chat.Id, m)));
            }

            var notices = _notices.Where(n => n.ChatId == chatId && n.Version > since).ToList();
            var status = new PageStatus(
                _webhook is null ? "polling" : "webhook",
                _webhook?.Url,
                _pending.Count,
                blocked,
                _webhook is not null && _lastDeliveryFailed ? _lastWebhookError : null);
            var firstName = chat?.FirstName ?? FirstNameFor(chatId);
            return new PageSnapshot(_version, chatId, firstName, BotUser.FirstName, BotUser.Username, status, messages, notices);
        }
    }

    // ---- internals ----

    private HttpStatusCode? AllowedOrNoContent(string updateType)
    {
        var allowed = _allowedUpdates.Count == 0
            ? !NotSentByDefault.Contains(updateType, StringComparer.Ordinal)
            : _allowedUpdates.Contains(updateType, StringComparer.Ordinal);
        if (allowed)
        {
            return null;
        }

        _logger.LogWarning("A {UpdateType} update was not sent: the bot's allowed_updates [{Allowed}] leave it out", updateType, string.Join(", ", _allowedUpdates));
        return HttpStatusCode.NoContent;
    }

    /// <summary>Under the lock: gives the update its id and either queues it for getUpdates or says where to POST it.</summary>
    private Delivery Enqueue(string updateType, Func<int, Update> create)
    {
        if (AllowedOrNoContent(updateType) is { } skipped)
        {
            return new Delivery(null, null, skipped);
        }

        var update = create(++_lastUpdateId);
        _lastUpdate = update;
        if (_webhook is null)
        {
            _pending.Add(new PendingUpdate(update));
            return new Delivery(update, null, HttpStatusCode.OK);
        }

        return new Delivery(update, _webhook, null);
    }

    private Task<HttpStatusCode> DeliverAsync(Delivery delivery, CancellationToken ct) =>
        delivery is { Hook: { } hook, Update: { } update } ? PostUpdateAsync(hook, update, ct) : Task.FromResult(delivery.Immediate ?? HttpStatusCode.OK);

    private async Task<HttpStatusCode> DeliverAndRecordAsync(Delivery delivery, StoredMessage message, CancellationToken ct)
    {
        try
        {
            var status = await DeliverAsync(delivery, ct);
            lock (_lock)
            {
                message.DeliveryStatus = delivery.Hook is null ? null : (int)status;
                message.Version = Touch();
            }

            return status;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            lock (_lock)
            {
                message.DeliveryStatus = 502;
                message.DeliveryError = ex.Message;
                message.Version = Touch();
            }

            throw;
        }
    }

    private async Task<HttpStatusCode> PostUpdateAsync(WebhookRegistration hook, Update update, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(update, SandboxJson.Write);
        var giveUpAt = _time.GetUtcNow() + _options.RedeliverFor;
        for (var attempt = 0; ; attempt++)
        {
            var last = _options.RedeliverFor <= TimeSpan.Zero || _time.GetUtcNow() >= giveUpAt;
            try
            {
                var status = await PostAsync(hook.Url, hook.SecretToken, body, ct, update);
                if ((int)status is >= 200 and < 300 || last)
                {
                    return status;
                }
            }
            catch (Exception ex) when (!last && ex is HttpRequestException or TimeoutException)
            {
                _logger.LogDebug("Update {UpdateId} not delivered: {Error}", update.Id, ex.Message);
            }

            Interlocked.Increment(ref _redeliveries);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(8, 1 << Math.Min(attempt, 3))), _time, ct);
        }
    }

    private async Task<HttpStatusCode> PostAsync(string url, string? secretToken, string body, CancellationToken ct, Update? update = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        HttpResponseMessage response;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } },
            };
            if (secretToken is not null)
            {
                request.Headers.TryAddWithoutValidation(SecretTokenHeader, secretToken);
            }

            try
            {
                response = await _webhookClient.SendAsync(request, ct);
                break;
            }
            catch (HttpRequestException ex) when (attempt == 1 && ex.HttpRequestError == HttpRequestError.ResponseEnded)
            {
                // A pooled keep-alive connection that the server closed just then: Telegram, too, delivers again.
                _logger.LogDebug("The webhook closed the connection before answering; delivering again");
            }
            catch (HttpRequestException ex)
            {
                RecordWebhookError(ex.Message);
                throw new HttpRequestException($"The sandbox could not deliver to the webhook {url}: {ex.Message}", ex, ex.StatusCode);
            }
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
            {
                RecordWebhookError("Timeout expired");
                throw new TimeoutException($"The webhook {url} did not answer within {_webhookClient.Timeout.TotalSeconds:0} s.", ex);
            }
        }

        using (response)
        {
            var status = response.StatusCode;
            var what = update is null ? "A raw update" : $"Update {update.Id} ({update.Type})";
            if (!response.IsSuccessStatusCode)
            {
                RecordWebhookError($"Wrong response from the webhook: {(int)status} {response.ReasonPhrase}");
                _logger.LogWarning("{What} → webhook answered {Status}", what, (int)status);
                return status;
            }

            _logger.LogInformation("{What} → webhook answered {Status}", what, (int)status);
            lock (_lock)
            {
                if (_lastDeliveryFailed)
                {
                    _lastDeliveryFailed = false;
                    Touch();
                }
            }

            await ExecuteWebhookReplyAsync(response, ct);
            return status;
        }
    }

    /// <summary>Telegram runs a Bot API call that the webhook puts in its response body ({"method":"sendMessage",...}).</summary>
    private async Task ExecuteWebhookReplyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("method", out var method)
                && method.ValueKind == JsonValueKind.String)
            {
                var name = method.GetString()!;
                await BotApi.ExecuteAsync(this, name, BotRequest.FromJson(document.RootElement), ct);
                _logger.LogInformation("Ran {Method} from the webhook's response", name);
            }
        }
        catch (JsonException)
        {
            // Telegram ignores a body it cannot read.
        }
        catch (BotApiException ex)
        {
            _logger.LogWarning("The webhook's response asked for a Bot API call that failed: {ErrorCode} {Description}", ex.ErrorCode, ex.Message);
        }
    }

    private async Task FlushPendingAsync()
    {
        try
        {
            while (true)
            {
                WebhookRegistration? hook;
                PendingUpdate? next;
                lock (_lock)
                {
                    hook = _webhook;
                    next = _pending.Count > 0 ? _pending[0] : null;
                    if (hook is null || next is null)
                    {
                        _flushing = false;
                        return;
                    }
                }

                var status = await PostUpdateAsync(hook, next.Update, _stopping.Token);
                lock (_lock)
                {
                    if ((int)status is < 200 or > 299)
                    {
                        _flushing = false;
                        return;
                    }

                    _pending.Remove(next);
                    Touch();
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("Updates queued before the webhook was set were not all delivered: {Error}", ex.Message);
            lock (_lock)
            {
                _flushing = false;
            }
        }
    }

    private void RecordWebhookError(string message)
    {
        lock (_lock)
        {
            _lastWebhookError = message;
            _lastWebhookErrorAt = _time.GetUtcNow();
            _lastDeliveryFailed = true;
            Touch();
        }
    }

    private void RegisterRawCallbackQuery(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("callback_query", out var query)
                && query.ValueKind == JsonValueKind.Object
                && query.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                var chatId = query.TryGetProperty("from", out var from) && from.TryGetProperty("id", out var fromId) && fromId.TryGetInt64(out var v) ? v : 0;
                _callbackQueries.TryAdd(id.GetString()!, new CallbackQueryState(chatId));
            }
        }
        catch (JsonException)
        {
            // A raw body may be deliberately malformed.
        }
    }

    private Update[]? TakePending(int take)
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        var batch = _pending.Take(take).ToList();
        foreach (var p in batch)
        {
            p.IgnoresOffset = false;
        }

        return [.. batch.Select(p => p.Update)];
    }

    private async Task<T?> WaitAsync<T>(Func<T?> probe, TimeSpan timeout, CancellationToken ct)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var value = probe();
                if (value is not null)
                {
                    return value;
                }

                changed = _changed.Task;
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || _stopping.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
                await changed.WaitAsync(remaining, linked.Token);
            }
            catch (TimeoutException)
            {
                return null;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>Ends waits (long polls) at once; called when the host stops.</summary>
    internal void Stop()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
        }

        _stopping.Cancel();
    }

    /// <summary>Under the lock: a new version number, and every wait wakes up.</summary>
    private long Touch()
    {
        _version++;
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
        return _version;
    }

    /// <summary>Under the lock: the person sent the bot an update, so the bot's sends to them are replies for a while.</summary>
    private static void RecordUpdateFromPerson(ChatLog chat, Delivery delivery, DateTimeOffset at)
    {
        // An update that allowed_updates filtered out never reached the bot, so nothing the bot sends answers it.
        if (delivery.Update is not null)
        {
            chat.LastUpdateFromPersonAt = at;
        }
    }

    private BotApiException CountedError(BotApiException error)
    {
        if (error.ErrorCode == 429)
        {
            _tooManyRequests++;
        }

        return error;
    }

    private void ThrowIfForced(ChatLog chat)
    {
        if (chat.Forced is { } forced)
        {
            chat.ForcedRefusals++;
            throw CountedError(BotApiException.ForStatus(forced.StatusCode, forced.Description));
        }
    }

    private (ChatLog Chat, StoredMessage Message) FindEditable(long chatId, int messageId)
    {
        if (!_chats.TryGetValue(chatId, out var chat))
        {
            throw new BotApiException(400, "Bad Request: chat not found");
        }

        ThrowIfForced(chat);
        var message = chat.Find(messageId) ?? throw new BotApiException(400, "Bad Request: message to edit not found");
        if (!message.FromBot)
        {
            throw new BotApiException(400, "Bad Request: message can't be edited");
        }

        return (chat, message);
    }

    private ChatLog GetOrCreateChat(long chatId)
    {
        if (chatId <= 0)
        {
            throw new BotApiException(400, "Bad Request: chat not found");
        }

        if (!_chats.TryGetValue(chatId, out var chat))
        {
            chat = new ChatLog(chatId, FirstNameFor(chatId));
            _chats.Add(chatId, chat);
        }

        return chat;
    }

    private string FirstNameFor(long chatId) =>
        chatId == _options.ChatPageUserId ? _options.ChatPageFirstName : $"User {chatId}";

    private static string ChatInstance(long userId) =>
        (userId * 7_919 % 9_000_000_000_000_000_000L).ToString(CultureInfo.InvariantCulture);

    private static UpdateType? ToUpdateType(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<UpdateType>(JsonSerializer.Serialize(name), JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsPng(byte[] image) => image.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

    private static bool IsJpeg(byte[] image) => image.AsSpan().StartsWith((byte[])[0xFF, 0xD8, 0xFF]);

    private Message ToMessage(ChatLog chat, StoredMessage m) => new()
    {
        Id = m.Id,
        Date = m.SentAt.UtcDateTime,
        Chat = chat.ToChat(),
        From = m.FromBot ? BotUser : chat.ToUser(),
        Text = m.Photo is null ? m.Formatted.Text : null,
        Entities = m.Photo is null && m.Formatted.Entities.Count > 0 ? [.. m.Formatted.Entities] : null,
        Caption = m.Photo is null ? null : m.Formatted.Text,
        CaptionEntities = m.Photo is not null && m.Formatted.Entities.Count > 0 ? [.. m.Formatted.Entities] : null,
        Photo = m.Photo is null ? null : [new PhotoSize { FileId = $"photo-{chat.Id}-{m.Id}", FileUniqueId = $"p{chat.Id}x{m.Id}", FileSize = m.Photo.Length }],
        ReplyMarkup = m.Markup,
        EditDate = m.EditedAt?.UtcDateTime,
    };

    private static SandboxMessage ToSandboxMessage(ChatLog chat, StoredMessage m) =>
        new(
            m.Id,
            chat.Id,
            m.RawText,
            m.ParseMode,
            m.Markup is null ? [] : [.. m.Markup.InlineKeyboard.SelectMany(row => row).Select(b => new SandboxButton(b.Text, b.CallbackData ?? ""))],
            m.SentAt,
            m.EditedAt is not null)
        {
            PlainText = m.Formatted.Text,
            Photo = m.Photo,
            PaidBroadcast = m.PaidBroadcast,
            IsBroadcast = m.IsBroadcast,
            EditedAt = m.EditedAt,
        };

    private sealed record Delivery(Update? Update, WebhookRegistration? Hook, HttpStatusCode? Immediate);

    private sealed record ForcedResponse(int StatusCode, string Description);

    private sealed class PendingUpdate(Update update)
    {
        public Update Update { get; } = update;

        /// <summary>A redelivered update keeps its old id, so the offset the bot already sent must not drop it.</summary>
        public bool IgnoresOffset { get; set; }
    }

    private sealed class CallbackQueryState(long chatId)
    {
        public long ChatId { get; } = chatId;

        public bool Answered { get; set; }
    }

    private sealed class ChatLog(long id, string firstName)
    {
        public long Id { get; } = id;

        public string FirstName { get; } = firstName;

        public int LastMessageId { get; set; }

        /// <summary>Both sides' messages; message ids start at 1, so message n is at index n - 1.</summary>
        public List<StoredMessage> Messages { get; } = [];

        public ForcedResponse? Forced { get; set; }

        /// <summary>Calls refused with <see cref="Forced"/>: how often the bot tried a chat that blocks it.</summary>
        public int ForcedRefusals { get; set; }

        /// <summary>When the person last sent the bot an update (a message or a button tap).</summary>
        public DateTimeOffset? LastUpdateFromPersonAt { get; set; }

        /// <summary>The bot's accepted sendMessage and editMessageText calls, for <see cref="SandboxOptions.PerChatBurst"/>.</summary>
        public SlidingWindow RecentSends { get; } = new();

        public StoredMessage? Find(int messageId) =>
            messageId >= 1 && messageId <= Messages.Count && !Messages[messageId - 1].Deleted ? Messages[messageId - 1] : null;

        public Chat ToChat() => new() { Id = Id, Type = ChatType.Private, FirstName = FirstName };

        /// <summary>The person's Telegram language (<c>language_code</c>), which their updates carry.</summary>
        public string LanguageCode { get; set; } = "en";

        public User ToUser() => new() { Id = Id, IsBot = false, FirstName = FirstName, LanguageCode = LanguageCode };
    }
}

/// <summary>One message in a chat, from either side.</summary>
internal sealed class StoredMessage
{
    public required int Id { get; init; }

    public required bool FromBot { get; init; }

    public required string RawText { get; set; }

    public string? ParseMode { get; set; }

    public required FormattedText Formatted { get; set; }

    public InlineKeyboardMarkup? Markup { get; set; }

    public required DateTimeOffset SentAt { get; init; }

    public DateTimeOffset? EditedAt { get; set; }

    public bool Deleted { get; set; }

    /// <summary>For the bot's messages: sent with allow_paid_broadcast=true.</summary>
    public bool PaidBroadcast { get; init; }

    /// <summary>For the bot's messages: counted as a broadcast, not a reply.</summary>
    public bool IsBroadcast { get; init; }

    /// <summary>For sendPhoto: the image as uploaded; the text is its caption.</summary>
    public byte[]? Photo { get; init; }

    /// <summary>For the person's messages: the webhook's answer (null while queued for getUpdates).</summary>
    public int? DeliveryStatus { get; set; }

    public string? DeliveryError { get; set; }

    /// <summary>The state version of the last change, for the chat page's "since".</summary>
    public long Version { get; set; }
}
