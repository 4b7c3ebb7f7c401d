using System.ComponentModel.DataAnnotations;

namespace Quiz.Silo.Telegram;

/// <summary>How the silos reach the Telegram Bot API (section <c>Telegram</c>, shared with the gateway).</summary>
public sealed class TelegramSendingOptions
{
    public const string SectionName = "Telegram";

    /// <summary>The bot's token from BotFather. Empty: the silo logs what it would send instead.</summary>
    public string? BotToken { get; set; }

    /// <summary>The Bot API server: Telegram's, or a loopback stand-in in tests and in the local sandbox.</summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>The whole cluster's sending limit; each silo takes its share. Telegram allows about 30 a second per bot.</summary>
    [Range(1, 30)]
    public int MaxMessagesPerSecond { get; set; } = 25;

    /// <summary>How long a daily question may wait for a sending slot before its tick gives up and retries later.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MaxDailyQueueWait { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);
}
