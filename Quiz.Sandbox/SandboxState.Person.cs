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

/// <summary>The person's side: what tests and the chat page do as the person in a chat (write, tap, block the bot).</summary>
public sealed partial class SandboxState
{
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
    public Task<HttpStatusCode> TapAsync(long userId, int messageId, string callbackData, CancellationToken ct = default) =>
        TapAsync(userId, userId, messageId, callbackData, ct);

    /// <summary>
    /// <paramref name="userId"/> taps a button of the bot's message <paramref name="messageId"/> in chat
    /// <paramref name="chatId"/> (their private chat, or a group they are a member of): a CallbackQuery update from
    /// them that carries that message. In a group the bot has left nothing reaches the bot: 204.
    /// </summary>
    /// <exception cref="ArgumentException">The person is not in that chat.</exception>
    public async Task<HttpStatusCode> TapAsync(long chatId, long userId, int messageId, string callbackData, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(callbackData);
        Delivery delivery;
        lock (_lock)
        {
            if (!_chats.TryGetValue(chatId, out var chat) || chat.Find(messageId) is not { FromBot: true } message)
            {
                throw new InvalidOperationException($"The bot sent no message {messageId} to chat {chatId}.");
            }

            var from = chat.Group is null
                ? (userId == chatId ? chat.ToUser() : throw new ArgumentException($"User {userId} is not the person of private chat {chatId}.", nameof(userId)))
                : MemberUser(chat, userId);
            var queryId = (4_300_000_000_000_000L + ++_callbackSequence).ToString(CultureInfo.InvariantCulture);
            _callbackQueries[queryId] = new CallbackQueryState(chatId, userId);
            delivery = chat.Group is { BotIsMember: false }
                ? NotInGroup
                : Enqueue("callback_query", id => new Update
                {
                    Id = id,
                    CallbackQuery = new CallbackQuery
                    {
                        Id = queryId,
                        From = from,
                        Message = ToMessage(chat, message),
                        ChatInstance = ChatInstance(chatId),
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
}
