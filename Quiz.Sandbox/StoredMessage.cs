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

    /// <summary>For a member's message in a group: who wrote it (in a private chat, the chat's person did).</summary>
    public long? SenderId { get; init; }

    /// <summary>For the person's messages: the webhook's answer (null while queued for getUpdates).</summary>
    public int? DeliveryStatus { get; set; }

    public string? DeliveryError { get; set; }

    /// <summary>The state version of the last change, for the chat page's "since".</summary>
    public long Version { get; set; }
}
