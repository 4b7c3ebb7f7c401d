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

/// <summary>The Bot API methods the bot calls (through <see cref="BotApi"/>), each changing the chats as Telegram would.</summary>
public sealed partial class SandboxState
{
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
            ThrowIfRefused(chat);
            if (_failNext.TryDequeue(out var failure))
            {
                throw CountedError(BotApiException.ForStatus(failure));
            }

            var now = _time.GetUtcNow();
            var broadcast = !_limits.IsReply(chat.LastUpdateFromPersonAt, now);
            if (_limits.RefuseSend(chat.RecentSends, chat.Group?.RecentSends, now, broadcast, allowPaidBroadcast) is { } refused)
            {
                throw CountedError(refused);
            }

            _limits.AcceptSend(chat.RecentSends, chat.Group?.RecentSends, now, broadcast, allowPaidBroadcast);
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

            ThrowIfRefused(chat);
            message.Deleted = true;
            message.Version = Touch();
            return true;
        }
    }

    internal bool SendChatAction(long chatId)
    {
        lock (_lock)
        {
            ThrowIfRefused(GetOrCreateChat(chatId));
            return true;
        }
    }

    /// <summary>
    /// getChatMember: in a group, the person's status (creator, administrator, member; left for anyone else), or the
    /// bot's; in a private chat, its person and the bot are members.
    /// </summary>
    internal ChatMember GetChatMember(long chatId, long userId)
    {
        lock (_lock)
        {
            var chat = ChatTheBotIsIn(chatId);
            if (userId == BotUser.Id)
            {
                return new ChatMemberMember { User = BotUser };
            }

            var user = UserFor(chat, userId);
            return (chat.Group?.Members.GetValueOrDefault(userId)?.Status ?? (userId == chatId ? ChatMemberStatus.Member : ChatMemberStatus.Left)) switch
            {
                ChatMemberStatus.Creator => new ChatMemberOwner { User = user },
                ChatMemberStatus.Administrator => new ChatMemberAdministrator
                {
                    User = user,
                    CanManageChat = true,
                    CanDeleteMessages = true,
                    CanRestrictMembers = true,
                    CanChangeInfo = true,
                    CanInviteUsers = true,
                    CanPinMessages = true,
                },
                ChatMemberStatus.Member => new ChatMemberMember { User = user },
                _ => new ChatMemberLeft { User = user },
            };
        }
    }

    internal ChatFullInfo GetChat(long chatId)
    {
        lock (_lock)
        {
            var chat = ChatTheBotIsIn(chatId).ToChat();
            return new ChatFullInfo
            {
                Id = chat.Id,
                Type = chat.Type,
                Title = chat.Title,
                FirstName = chat.FirstName,
                AccentColorId = 0,
                MaxReactionCount = 11,
                AcceptedGiftTypes = new AcceptedGiftTypes(),
            };
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
            _callbackAnswers.Add(new CallbackAnswer(queryId, text) { ChatId = query.ChatId, UserId = query.UserId });
            var version = Touch();
            if (!string.IsNullOrEmpty(text))
            {
                _notices.Add(new PageNotice(query.ChatId, query.UserId, text, showAlert, version));
            }

            return true;
        }
    }

    /// <summary>Under the lock: the chat, for a call that reads it; a group answers 403 when the bot is not in it.</summary>
    private ChatLog ChatTheBotIsIn(long chatId)
    {
        var chat = GetOrCreateChat(chatId);
        if (chat.Group is { BotIsMember: false })
        {
            throw new BotApiException(403, NotInGroupDescription);
        }

        return chat;
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
}
