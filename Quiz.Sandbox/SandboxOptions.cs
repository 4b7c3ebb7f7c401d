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
    /// Null is unlimited. Otherwise a broadcast sendMessage without <c>allow_paid_broadcast</c> is answered 429 with
    /// <c>parameters.retry_after = 1</c> when this many broadcasts (paid or not) were accepted in the last second, as
    /// Telegram does beyond ~30/s. Replies and edits are not limited by it (see <see cref="ReplyWindowSeconds"/>).
    /// Below 1, one broadcast per 1/rate seconds.
    /// </summary>
    [Range(0.001, double.MaxValue)]
    public double? MaxMessagesPerSecond { get; set; }

    /// <summary>
    /// A broadcast sendMessage with <c>allow_paid_broadcast=true</c> is answered 429 (retry_after 1) when this many
    /// broadcasts (paid or not) were accepted in the last second: Telegram's 1,000 a second for paid broadcasts.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxPaidMessagesPerSecond { get; set; } = 1000;

    /// <summary>
    /// A sendMessage to a chat whose person sent the bot a message or tapped a button within this many seconds is a
    /// reply, not a broadcast, and no broadcast limit applies to it.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int ReplyWindowSeconds { get; set; } = 10;

    /// <summary>
    /// Null is off. Otherwise, N: a sendMessage or editMessageText to a chat that already had N of them accepted in the
    /// last N seconds is answered 429, with retry_after the whole seconds until the oldest of those leaves the window
    /// (about one message a second in one chat, with bursts of N).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? PerChatBurst { get; set; }

    /// <summary>
    /// A sendMessage or sendPhoto to a group that already had this many of them accepted in the last 60 seconds is
    /// answered 429, with retry_after the whole seconds until the oldest of those leaves the window: the Bots FAQ's
    /// "no more than 20 messages per minute" in one group.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxMessagesPerMinuteInGroup { get; set; } = 20;

    /// <summary>
    /// Creates the demo group at start-up (<see cref="SandboxState.DemoGroupId"/>, "Data Team"): the chat page's person
    /// as its creator and two more members, without the bot. Off by default; run-local.sh turns it on.
    /// </summary>
    public bool DemoGroup { get; set; }

    /// <summary>
    /// Zero (the default) delivers an update once and reports what the webhook answered. Otherwise the sandbox does what
    /// Telegram does with an update the webhook did not acknowledge (a non-2xx answer, a refused or cut connection, no
    /// answer in time): delivers it again, with the same update_id, after 1, 2, 4, then every 8 seconds, for this long.
    /// Telegram documents only that it "will give up after a reasonable amount of attempts"
    /// (https://core.telegram.org/bots/api#setwebhook).
    /// </summary>
    public TimeSpan RedeliverFor { get; set; }

    /// <summary>The person on the chat page (a private chat, so the chat id is the user id).</summary>
    [Range(1, long.MaxValue)]
    public long ChatPageUserId { get; set; } = 1001;

    [Required]
    public string ChatPageFirstName { get; set; } = "Ada";
}
