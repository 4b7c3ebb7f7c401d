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

public sealed record CallbackAnswer(string CallbackQueryId, string? Text)
{
    /// <summary>The chat of the message whose button was tapped.</summary>
    public long ChatId { get; init; }

    /// <summary>Who tapped, and so who sees the answer: the chat's person, or a member in a group.</summary>
    public long UserId { get; init; }
}

/// <summary>A sendMessage the sandbox counted as a broadcast: to which chat, which message, when, and whether paid.</summary>
public sealed record SandboxBroadcast(long ChatId, int MessageId, DateTimeOffset SentAt, bool PaidBroadcast);

public sealed record WebhookRegistration(string Url, string? SecretToken, IReadOnlyList<string> AllowedUpdates, int? MaxConnections);
