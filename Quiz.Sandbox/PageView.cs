using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Quiz.Sandbox;

// What the chat page reads from GET /sandbox/messages (camelCase JSON). Text arrives as a tree of nodes built from
// the message's entities, so the page builds DOM elements with textContent and never parses HTML.

internal sealed record PageSnapshot(
    long Version,
    long UserId,
    string FirstName,
    string BotName,
    string? BotUsername,
    PageStatus Status,
    IReadOnlyList<PageMessage> Messages,
    IReadOnlyList<PageNotice> Notices)
{
    /// <summary>For a group chat: its title, members and whether the bot is in it; null for a private chat.</summary>
    public PageGroup? Group { get; init; }

    /// <summary>For a private chat: the groups its person is a member of.</summary>
    public IReadOnlyList<PageGroupLink> Groups { get; init; } = [];
}

/// <summary>Mode is "webhook" or "polling" (updates wait for getUpdates).</summary>
internal sealed record PageStatus(string Mode, string? WebhookUrl, int PendingUpdates, bool Blocked, string? LastError);

internal sealed record PageMessage(
    int Id,
    bool FromBot,
    IReadOnlyList<object> Nodes,
    IReadOnlyList<IReadOnlyList<PageButton>> Keyboard,
    DateTimeOffset SentAt,
    bool Edited,
    bool Deleted,
    int? DeliveryStatus,
    string? DeliveryError,
    string? PhotoUrl = null,
    long? SenderId = null,
    string? SenderName = null);

internal sealed record PageButton(string Text, string? Data, string? Url);

/// <summary>A callback answer's text (a toast), shown to <see cref="UserId"/>, who tapped, in chat <see cref="ChatId"/>.</summary>
internal sealed record PageNotice(long ChatId, long UserId, string Text, bool ShowAlert, long Version);

/// <summary>Status is creator, administrator or member, as Telegram names them.</summary>
internal sealed record PageMember(long UserId, string FirstName, string Status);

internal sealed record PageGroup(string Title, bool BotIsMember, IReadOnlyList<PageMember> Members);

internal sealed record PageGroupLink(long Id, string Title);

/// <summary>A formatted span: K is b, i, u, s, spoiler, code, pre, a, blockquote or cmd; C holds strings and nodes.</summary>
internal sealed record PageNode(string K, IReadOnlyList<object> C, string? Href = null, string? Lang = null);

internal static class PageView
{
    public static PageGroup Group(GroupState group) => new(
        group.Title,
        group.BotIsMember,
        [.. group.Members.Values.Select(m => new PageMember(m.UserId, m.FirstName, m.Status.ToString().ToLowerInvariant()))]);

    public static PageMessage Message(long chatId, StoredMessage m, string? senderName) => new(
        m.Id,
        m.FromBot,
        m.Deleted ? [] : Nodes(m.Formatted),
        m.Deleted || m.Markup is null
            ? []
            : m.Markup.InlineKeyboard
                .Select(row => (IReadOnlyList<PageButton>)row.Select(b => new PageButton(b.Text, b.CallbackData, b.Url)).ToList())
                .ToList(),
        m.SentAt,
        m.EditedAt is not null,
        m.Deleted,
        m.DeliveryStatus,
        m.DeliveryError,
        m.Photo is null || m.Deleted ? null : $"/sandbox/photo?chatId={chatId}&messageId={m.Id}",
        m.SenderId,
        senderName);

    public static IReadOnlyList<object> Nodes(FormattedText formatted)
    {
        var entities = formatted.Entities.OrderBy(e => e.Offset).ThenByDescending(e => e.Length).ToList();
        var index = 0;
        return Build(formatted.Text, entities, 0, formatted.Text.Length, ref index);
    }

    private static List<object> Build(string text, List<MessageEntity> entities, int start, int end, ref int index)
    {
        var nodes = new List<object>();
        var position = start;
        while (index < entities.Count && entities[index].Offset < end)
        {
            var entity = entities[index++];
            var from = Math.Clamp(entity.Offset, position, end);
            var to = Math.Clamp(entity.Offset + entity.Length, from, end);
            if (from > position)
            {
                nodes.Add(text[position..from]);
            }

            var children = Build(text, entities, from, to, ref index);
            nodes.Add(entity.Type switch
            {
                MessageEntityType.Bold => new PageNode("b", children),
                MessageEntityType.Italic => new PageNode("i", children),
                MessageEntityType.Underline => new PageNode("u", children),
                MessageEntityType.Strikethrough => new PageNode("s", children),
                MessageEntityType.Spoiler => new PageNode("spoiler", children),
                MessageEntityType.Code => new PageNode("code", children),
                MessageEntityType.Pre => new PageNode("pre", children, Lang: entity.Language),
                MessageEntityType.TextLink => new PageNode("a", children, Href: entity.Url),
                MessageEntityType.Blockquote or MessageEntityType.ExpandableBlockquote => new PageNode("blockquote", children),
                MessageEntityType.BotCommand => new PageNode("cmd", children),
                _ => new PageNode("span", children),
            });
            position = to;
        }

        if (position < end)
        {
            nodes.Add(text[position..end]);
        }

        return nodes;
    }
}
