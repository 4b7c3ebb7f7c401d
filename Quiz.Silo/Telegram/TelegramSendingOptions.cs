using System.ComponentModel.DataAnnotations;

namespace Quiz.Silo.Telegram;

/// <summary>How the silos reach the Telegram Bot API (section <c>Telegram</c>, shared with the gateway; the rates are <see cref="Quiz.Sending.SendingOptions"/>).</summary>
public sealed class TelegramSendingOptions
{
    public const string SectionName = "Telegram";

    /// <summary>The bot's token from BotFather. Empty: the silo logs what it would send instead.</summary>
    public string? BotToken { get; set; }

    /// <summary>The Bot API server: Telegram's, or a loopback stand-in in tests and in the local sandbox.</summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);
}
