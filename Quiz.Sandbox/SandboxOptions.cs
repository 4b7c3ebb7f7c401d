using System.ComponentModel.DataAnnotations;

namespace Quiz.Sandbox;

/// <summary>Settings of the local Bot API stand-in (configuration section <c>Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>The token the bot must use in <c>/bot{token}/...</c>; the digits before the colon are the bot's user id.</summary>
    [Required]
    [RegularExpression(@"^\d{1,16}:[A-Za-z0-9_-]+$", ErrorMessage = "BotToken must look like a Telegram token: digits, a colon, then letters, digits, '_' or '-'.")]
    public string BotToken { get; set; } = "123456:sandbox-token";

    /// <summary>
    /// Null is unlimited. Otherwise sendMessage and editMessageText calls above this rate (counted together, in any
    /// one-second window) are answered 429 with <c>parameters.retry_after = 1</c>, as Telegram does beyond ~30/s.
    /// </summary>
    [Range(0.001, double.MaxValue)]
    public double? MaxMessagesPerSecond { get; set; }

    /// <summary>The person on the chat page (a private chat, so the chat id is the user id).</summary>
    [Range(1, long.MaxValue)]
    public long ChatPageUserId { get; set; } = 1001;

    [Required]
    public string ChatPageFirstName { get; set; } = "Ada";
}
