using System.Net;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Quiz.Sandbox;

/// <summary>Group chats: people create one, join it, add and remove the bot, write and tap in it.</summary>
public sealed partial class SandboxState
{
    /// <summary>The demo group's chat id (<see cref="SandboxOptions.DemoGroup"/>). A group's id is negative.</summary>
    public const long DemoGroupId = -1001;

    /// <summary>What a person's update in a group the bot is not in gives: nothing reaches the bot.</summary>
    private static readonly Delivery NotInGroup = new(null, null, HttpStatusCode.NoContent);

    /// <summary>The groups, in the order they were created, each as it stands now.</summary>
    public IReadOnlyList<SandboxGroup> Groups
    {
        get
        {
            lock (_lock)
            {
                return [.. _chats.Values.Where(c => c.Group is not null).Select(c => c.Group!.ToSandboxGroup(c.Id))];
            }
        }
    }

    /// <summary>Creates a supergroup with a negative id, its creator its only member; the bot is not in it.</summary>
    /// <exception cref="ArgumentException">The id is not negative, or a chat with it exists.</exception>
    public void CreateGroup(long groupId, string title, long creatorId, string creatorFirstName)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(groupId, 0);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(creatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(creatorFirstName);
        lock (_lock)
        {
            if (_chats.ContainsKey(groupId))
            {
                throw new ArgumentException($"Group {groupId} exists already.", nameof(groupId));
            }

            var group = new GroupState(title);
            group.Members.Add(creatorId, new SandboxGroupMember(creatorId, creatorFirstName, ChatMemberStatus.Creator));
            _chats.Add(groupId, new ChatLog(groupId, title) { Group = group });
            Touch();
        }
    }

    /// <summary>
    /// A person joins the group, as a member or an administrator. The bot is told nothing: Telegram sends chat_member
    /// updates only to a bot that is an administrator and asked for them, and the sandbox sends none.
    /// </summary>
    /// <exception cref="ArgumentException">No such group, or the person is in it already.</exception>
    public void AddMember(long groupId, long userId, string firstName, bool isAdmin = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(firstName);
        lock (_lock)
        {
            var group = GroupChat(groupId).Group!;
            if (!group.Members.TryAdd(userId, new SandboxGroupMember(userId, firstName, isAdmin ? ChatMemberStatus.Administrator : ChatMemberStatus.Member)))
            {
                throw new ArgumentException($"User {userId} is in group {groupId} already.", nameof(userId));
            }

            Touch();
        }
    }

    /// <summary>The member <paramref name="byUserId"/> adds the bot: a my_chat_member update (left → member) from them.</summary>
    /// <returns>The gateway's HTTP status; 200 when queued for getUpdates; 204 when allowed_updates excludes my_chat_member.</returns>
    /// <exception cref="ArgumentException">No such group, or the person is not a member.</exception>
    /// <exception cref="InvalidOperationException">The bot is in the group already.</exception>
    public Task<HttpStatusCode> AddBotToGroupAsync(long groupId, long byUserId, CancellationToken ct = default) =>
        ChangeBotMembershipAsync(groupId, byUserId, join: true, ct);

    /// <summary>
    /// The creator or an administrator <paramref name="byUserId"/> removes the bot: a my_chat_member update
    /// (member → left) from them. From then on the bot's calls to the group answer
    /// 403 "Forbidden: bot is not a member of the supergroup chat".
    /// </summary>
    /// <exception cref="ArgumentException">No such group, or the person is not one of its administrators.</exception>
    /// <exception cref="InvalidOperationException">The bot is not in the group.</exception>
    public Task<HttpStatusCode> RemoveBotFromGroupAsync(long groupId, long byUserId, CancellationToken ct = default) =>
        ChangeBotMembershipAsync(groupId, byUserId, join: false, ct);

    /// <summary>The member <paramref name="userId"/> writes <paramref name="text"/> in the group: a Message update with the group as its chat.</summary>
    /// <returns>The gateway's HTTP status; 200 when queued for getUpdates; 204 when the bot is not in the group or allowed_updates excludes messages.</returns>
    /// <exception cref="ArgumentException">No such group, or the person is not a member.</exception>
    public async Task<HttpStatusCode> SendGroupTextAsync(long groupId, long userId, string text, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        StoredMessage message;
        Delivery delivery;
        lock (_lock)
        {
            var chat = GroupChat(groupId);
            _ = MemberUser(chat, userId);
            message = new StoredMessage
            {
                Id = ++chat.LastMessageId,
                FromBot = false,
                SenderId = userId,
                RawText = text,
                Formatted = TelegramText.FromUser(text),
                SentAt = _time.GetUtcNow(),
            };
            chat.Messages.Add(message);
            var sent = message;
            delivery = chat.Group!.BotIsMember
                ? Enqueue("message", id => new Update { Id = id, Message = ToMessage(chat, sent) })
                : NotInGroup;
            RecordUpdateFromPerson(chat, delivery, message.SentAt);
            message.Version = Touch();
        }

        return await DeliverAndRecordAsync(delivery, message, ct);
    }

    /// <summary>Creates the demo group: the chat page's person as its creator, two more members, and no bot.</summary>
    internal void CreateDemoGroup()
    {
        CreateGroup(DemoGroupId, "Data Team", _options.ChatPageUserId, _options.ChatPageFirstName);
        AddMember(DemoGroupId, 2002, "Grace");
        AddMember(DemoGroupId, 2003, "Linus");
    }

    private async Task<HttpStatusCode> ChangeBotMembershipAsync(long groupId, long byUserId, bool join, CancellationToken ct)
    {
        Delivery delivery;
        lock (_lock)
        {
            var chat = GroupChat(groupId);
            var group = chat.Group!;
            var by = MemberUser(chat, byUserId);
            if (!join && !group.Members[byUserId].IsAdmin)
            {
                throw new ArgumentException($"Only the creator or an administrator of group {groupId} can remove the bot; user {byUserId} is neither.", nameof(byUserId));
            }

            if (group.BotIsMember == join)
            {
                throw new InvalidOperationException(join ? $"The bot is in group {groupId} already." : $"The bot is not in group {groupId}.");
            }

            group.BotIsMember = join;
            ChatMember inGroup = new ChatMemberMember { User = BotUser };
            ChatMember outside = new ChatMemberLeft { User = BotUser };
            delivery = Enqueue("my_chat_member", id => new Update
            {
                Id = id,
                MyChatMember = new ChatMemberUpdated
                {
                    Chat = chat.ToChat(),
                    From = by,
                    Date = _time.GetUtcNow().UtcDateTime,
                    OldChatMember = join ? outside : inGroup,
                    NewChatMember = join ? inGroup : outside,
                },
            });
            Touch();
        }

        return await DeliverAsync(delivery, ct);
    }

    /// <summary>Under the lock: the group chat with this id.</summary>
    private ChatLog GroupChat(long groupId) =>
        _chats.TryGetValue(groupId, out var chat) && chat.Group is not null
            ? chat
            : throw new ArgumentException($"There is no group {groupId}.", nameof(groupId));

    /// <summary>Under the lock: the member of a group chat as a Telegram user.</summary>
    private User MemberUser(ChatLog chat, long userId) =>
        chat.Group!.Members.ContainsKey(userId)
            ? UserFor(chat, userId)
            : throw new ArgumentException($"User {userId} is not a member of group {chat.Id}.", nameof(userId));

    /// <summary>
    /// Under the lock: a person as the bot sees them, in this chat: a group's member by the name they joined with, with
    /// the language their private chat has (<see cref="SetLanguage"/>); anyone else as the sandbox knows them.
    /// </summary>
    private User UserFor(ChatLog chat, long userId)
    {
        var privateChat = _chats.GetValueOrDefault(userId);
        var firstName = chat.Group?.Members.GetValueOrDefault(userId)?.FirstName ?? privateChat?.FirstName ?? FirstNameFor(userId);
        return new User { Id = userId, IsBot = false, FirstName = firstName, LanguageCode = privateChat?.LanguageCode ?? "en" };
    }
}
