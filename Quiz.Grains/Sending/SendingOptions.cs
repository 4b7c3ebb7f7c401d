using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Quiz.Sending;

/// <summary>
/// How fast the cluster may send (section <c>Telegram</c>, beside the bot token). Telegram's limits, from its Bots FAQ
/// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this) and the Bot API's
/// <c>allow_paid_broadcast</c> (https://core.telegram.org/bots/api#sendmessage): about 30 bulk messages a second for the
/// whole bot, up to 1,000 a second with paid broadcast, and about one a second in one chat.
/// </summary>
public sealed class SendingOptions
{
    public const string SectionName = "Telegram";

    /// <summary>Telegram's free bulk-notification rate per bot.</summary>
    public const int FreeBroadcastLimit = 30;

    /// <summary>Telegram's rate with <c>allow_paid_broadcast</c>.</summary>
    public const int PaidBroadcastLimit = 1000;

    /// <summary>Daily questions a second for the whole cluster (1 to 30; up to 1,000 with <see cref="PaidBroadcast"/>).</summary>
    [Range(1, PaidBroadcastLimit)]
    public int BroadcastPerSecond { get; set; } = 25;

    /// <summary>Sets <c>allow_paid_broadcast</c> on daily questions: Telegram then allows up to 1,000 a second, for 0.1 Stars each above the free rate.</summary>
    public bool PaidBroadcast { get; set; }

    /// <summary>At most this many messages to one chat in any window of as many seconds (about one a second, short bursts tolerated).</summary>
    [Range(1, 20)]
    public int PerChatBurst { get; set; } = 3;

    /// <summary>
    /// Replies a second from one silo, all chats together: replies are not bulk notifications, but many accounts asking
    /// at once must not take the bot's whole sending and starve the daily questions. Replies over it wait their turn.
    /// </summary>
    [Range(1, PaidBroadcastLimit)]
    public int RepliesPerSecond { get; set; } = 200;

    /// <summary>At most this many messages to one group in any minute: Telegram allows 20 (Bots FAQ, "My bot is hitting limits").</summary>
    [Range(1, 20)]
    public int GroupMessagesPerMinute { get; set; } = 20;
}

/// <summary>Stops start-up on a combination of sending settings that Telegram would refuse, naming the settings.</summary>
public sealed class SendingOptionsValidator : IValidateOptions<SendingOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingOptions options) =>
        options.BroadcastPerSecond > SendingOptions.FreeBroadcastLimit && !options.PaidBroadcast
            ? ValidateOptionsResult.Fail(
                $"Telegram:BroadcastPerSecond is {options.BroadcastPerSecond}, above Telegram's free limit of {SendingOptions.FreeBroadcastLimit} a second: "
                + "set Telegram:PaidBroadcast=true (billed in Telegram Stars) or lower Telegram:BroadcastPerSecond.")
            : ValidateOptionsResult.Success;
}
