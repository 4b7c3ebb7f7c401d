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

/// <summary>
/// Everything the sandbox knows: the chats, the webhook, the queue for getUpdates, and the counters tests read.
/// The Bot API endpoints change it; tests and the chat page act as the person through its public methods.
/// </summary>
public sealed partial class SandboxState : IDisposable
{
    public const string SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const string BlockedDescription = "Forbidden: bot was blocked by the user";
    public const string NotInGroupDescription = "Forbidden: bot is not a member of the supergroup chat";
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

    /// <summary>sendMessage and sendPhoto calls answered 429 by <see cref="SandboxOptions.MaxMessagesPerMinuteInGroup"/>.</summary>
    public int GroupLimited
    {
        get
        {
            lock (_lock)
            {
                return _limits.GroupLimited;
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

    // ---- the chat page ----

    /// <summary>The chat's changes since <paramref name="since"/>; in a group, only <paramref name="userId"/>'s toasts when given.</summary>
    internal async Task<PageSnapshot> WaitForPageAsync(long chatId, long? userId, long since, TimeSpan wait, CancellationToken ct)
    {
        await WaitAsync(() => _version > since ? this : null, wait, ct);
        lock (_lock)
        {
            var messages = new List<PageMessage>();
            var blocked = false;
            if (_chats.TryGetValue(chatId, out var chat))
            {
                blocked = chat.Forced is { Description: BlockedDescription };
                messages.AddRange(chat.Messages
                    .Where(m => m.Version > since)
                    .Select(m => PageView.Message(chat.Id, m, m.SenderId is { } sender ? UserFor(chat, sender).FirstName : null)));
            }

            var notices = _notices.Where(n => n.ChatId == chatId && (userId is null || n.UserId == userId) && n.Version > since).ToList();
            var status = new PageStatus(
                _webhook is null ? "polling" : "webhook",
                _webhook?.Url,
                _pending.Count,
                blocked,
                _webhook is not null && _lastDeliveryFailed ? _lastWebhookError : null);
            var firstName = chat?.FirstName ?? FirstNameFor(chatId);
            return new PageSnapshot(_version, chatId, firstName, BotUser.FirstName, BotUser.Username, status, messages, notices)
            {
                Group = chat?.Group is { } group ? PageView.Group(group) : null,
                Groups = [.. _chats.Values
                    .Where(c => c.Group is { } g && g.Members.ContainsKey(chatId))
                    .Select(c => new PageGroupLink(c.Id, c.Group!.Title))],
            };
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

    /// <summary>Under the lock: throws what Telegram answers a call to a group the bot is not in, or the response a test forced on the chat.</summary>
    private void ThrowIfRefused(ChatLog chat)
    {
        if (chat.Group is { BotIsMember: false })
        {
            throw new BotApiException(403, NotInGroupDescription);
        }

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

        ThrowIfRefused(chat);
        var message = chat.Find(messageId) ?? throw new BotApiException(400, "Bad Request: message to edit not found");
        if (!message.FromBot)
        {
            throw new BotApiException(400, "Bad Request: message can't be edited");
        }

        return (chat, message);
    }

    /// <summary>Under the lock: the chat with this id; a private chat (a positive id) is created on first use, a group never is.</summary>
    private ChatLog GetOrCreateChat(long chatId)
    {
        if (_chats.TryGetValue(chatId, out var chat))
        {
            return chat;
        }

        if (chatId <= 0)
        {
            throw new BotApiException(400, "Bad Request: chat not found");
        }

        chat = new ChatLog(chatId, FirstNameFor(chatId));
        _chats.Add(chatId, chat);
        return chat;
    }

    private string FirstNameFor(long chatId) =>
        chatId == _options.ChatPageUserId ? _options.ChatPageFirstName : $"User {chatId}";

    private static string ChatInstance(long chatId) =>
        (chatId * 7_919 % 9_000_000_000_000_000_000L).ToString(CultureInfo.InvariantCulture);

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
        From = m.FromBot ? BotUser : m.SenderId is { } sender ? UserFor(chat, sender) : chat.ToUser(),
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

    private sealed class CallbackQueryState(long chatId, long userId)
    {
        public long ChatId { get; } = chatId;

        /// <summary>Who tapped: the chat's person in a private chat, a member in a group.</summary>
        public long UserId { get; } = userId;

        public bool Answered { get; set; }
    }

    private sealed class ChatLog(long id, string firstName)
    {
        public long Id { get; } = id;

        public string FirstName { get; } = firstName;

        public int LastMessageId { get; set; }

        /// <summary>Both sides' messages; message ids start at 1, so message n is at index n - 1.</summary>
        public List<StoredMessage> Messages { get; } = [];

        /// <summary>Null for a private chat (whose id is its person's user id).</summary>
        public GroupState? Group { get; init; }

        public ForcedResponse? Forced { get; set; }

        /// <summary>Calls refused with <see cref="Forced"/>: how often the bot tried a chat that blocks it.</summary>
        public int ForcedRefusals { get; set; }

        /// <summary>When the person last sent the bot an update (a message or a button tap).</summary>
        public DateTimeOffset? LastUpdateFromPersonAt { get; set; }

        /// <summary>The bot's accepted sendMessage and editMessageText calls, for <see cref="SandboxOptions.PerChatBurst"/>.</summary>
        public SlidingWindow RecentSends { get; } = new();

        public StoredMessage? Find(int messageId) =>
            messageId >= 1 && messageId <= Messages.Count && !Messages[messageId - 1].Deleted ? Messages[messageId - 1] : null;

        public Chat ToChat() => Group is { } group
            ? new() { Id = Id, Type = ChatType.Supergroup, Title = group.Title }
            : new() { Id = Id, Type = ChatType.Private, FirstName = FirstName };

        /// <summary>The person's Telegram language (<c>language_code</c>), which their updates carry.</summary>
        public string LanguageCode { get; set; } = "en";

        public User ToUser() => new() { Id = Id, IsBot = false, FirstName = FirstName, LanguageCode = LanguageCode };
    }
}
