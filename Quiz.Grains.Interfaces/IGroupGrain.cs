namespace Quiz;

/// <summary>
/// One Telegram group the bot is in, keyed by its chat id (negative): its daily question, posted at the time an admin
/// chose, answered by members with the buttons (each told their result in a toast), and tallied when the next comes.
/// </summary>
[Alias("quiz.group-grain")]
public interface IGroupGrain : IGrainWithIntegerKey
{
    /// <summary>The bot was added to the group: it offers the daily question.</summary>
    [Alias("bot-added")]
    Task BotAddedAsync(GroupJoined joined);

    /// <summary>The bot was removed from the group: no more questions there.</summary>
    [Alias("bot-removed")]
    Task BotRemovedAsync();

    /// <summary>Turns the daily question on at a time and zone, or off; refused unless the sender is a group admin.</summary>
    [Alias("set-daily")]
    Task SetDailyAsync(GroupDaily daily);

    /// <summary>Takes a member's answer, durably, and returns the toast that tells them their result.</summary>
    [Alias("answer")]
    Task<string> AnswerAsync(GroupAnswer answer);

    /// <summary>Sends the group's tops of the day, week and month (<c>/top</c> in the group).</summary>
    [Alias("show-top")]
    Task ShowTopAsync(string? languageCode);

    /// <summary>Sends the group's help (<c>/help</c> in the group).</summary>
    [Alias("show-help")]
    Task ShowHelpAsync(string? languageCode);

    /// <summary>Posts today's question if it is due and not posted, tallying the one before; safe to call any number of times.</summary>
    [Alias("post-due")]
    Task<bool> PostDueAsync();

    /// <summary>Records what the sender did with one of the group's messages.</summary>
    [Alias("confirm-sent")]
    Task ConfirmSentAsync(SendReceipt receipt);
}
