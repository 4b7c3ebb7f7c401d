namespace Quiz.Sandbox;

/// <summary>
/// Telegram's sending limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
/// about 30 broadcasts a second, 1,000 with <c>allow_paid_broadcast</c>, replies to a person's own action not counted,
/// about one message a second in one chat, 20 a minute in one group. Also the counts tests read about them.
/// Not thread-safe: <see cref="SandboxState"/> calls it under its lock.
/// </summary>
internal sealed class SendLimits
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    private readonly SandboxOptions _options;
    private readonly SlidingWindow _broadcastsInLastSecond = new();
    private readonly SlidingWindow _freeRateWindow = new();

    public SendLimits(SandboxOptions options)
    {
        _options = options;
    }

    public int BroadcastsAccepted { get; private set; }

    public int PaidBroadcastsAccepted { get; private set; }

    public int RepliesAccepted { get; private set; }

    public int MaxBroadcastsInAnySecond { get; private set; }

    public int PerChatLimited { get; private set; }

    public int BroadcastLimited { get; private set; }

    public int GroupLimited { get; private set; }

    /// <summary>A sendMessage is a reply when the chat's person sent the bot an update within the reply window.</summary>
    public bool IsReply(DateTimeOffset? lastUpdateFromPerson, DateTimeOffset now) =>
        lastUpdateFromPerson is { } at && now - at < TimeSpan.FromSeconds(_options.ReplyWindowSeconds);

    /// <summary>
    /// The 429 for a sendMessage over a limit (counted as such), or null when it may go. <paramref name="groupSends"/>
    /// is the group's minute window, null for a private chat.
    /// </summary>
    public BotApiException? RefuseSend(SlidingWindow chatSends, SlidingWindow? groupSends, DateTimeOffset now, bool broadcast, bool paid) =>
        RefuseForChat(chatSends, now) ?? RefuseForGroup(groupSends, now) ?? (broadcast ? RefuseBroadcast(now, paid) : null);

    /// <summary>The 429 for an editMessageText over the per-chat limit (counted as such), or null when it may go.</summary>
    public BotApiException? RefuseTextEdit(SlidingWindow chatSends, DateTimeOffset now) => RefuseForChat(chatSends, now);

    public void AcceptSend(SlidingWindow chatSends, SlidingWindow? groupSends, DateTimeOffset now, bool broadcast, bool paid)
    {
        CountForChat(chatSends, now);
        groupSends?.Add(now, OneMinute);
        if (!broadcast)
        {
            RepliesAccepted++;
            return;
        }

        BroadcastsAccepted++;
        if (paid)
        {
            PaidBroadcastsAccepted++;
        }

        MaxBroadcastsInAnySecond = Math.Max(MaxBroadcastsInAnySecond, _broadcastsInLastSecond.Add(now, OneSecond));
        _freeRateWindow.Add(now, FreeLimit()?.Window ?? OneSecond);
    }

    public void AcceptTextEdit(SlidingWindow chatSends, DateTimeOffset now)
    {
        CountForChat(chatSends, now);
        RepliesAccepted++;
    }

    public void AcceptMarkupEdit() => RepliesAccepted++;

    private BotApiException? RefuseForChat(SlidingWindow chatSends, DateTimeOffset now)
    {
        if (_options.PerChatBurst is not { } burst)
        {
            return null;
        }

        var window = TimeSpan.FromSeconds(burst);
        if (chatSends.Count(now, window) < burst)
        {
            return null;
        }

        PerChatLimited++;
        var retryAfter = Math.Max(1, (int)Math.Ceiling(chatSends.UntilOldestLeaves(now, window).TotalSeconds));
        return BotApiException.TooManyRequests(retryAfter);
    }

    private BotApiException? RefuseForGroup(SlidingWindow? groupSends, DateTimeOffset now)
    {
        if (groupSends is null || groupSends.Count(now, OneMinute) < _options.MaxMessagesPerMinuteInGroup)
        {
            return null;
        }

        GroupLimited++;
        var retryAfter = Math.Max(1, (int)Math.Ceiling(groupSends.UntilOldestLeaves(now, OneMinute).TotalSeconds));
        return BotApiException.TooManyRequests(retryAfter);
    }

    private BotApiException? RefuseBroadcast(DateTimeOffset now, bool paid)
    {
        var over = paid
            ? _broadcastsInLastSecond.Count(now, OneSecond) >= _options.MaxPaidMessagesPerSecond
            : FreeLimit() is { } free && _freeRateWindow.Count(now, free.Window) >= free.Limit;
        if (!over)
        {
            return null;
        }

        BroadcastLimited++;
        return BotApiException.TooManyRequests(1);
    }

    private void CountForChat(SlidingWindow chatSends, DateTimeOffset now)
    {
        if (_options.PerChatBurst is { } burst)
        {
            chatSends.Add(now, TimeSpan.FromSeconds(burst));
        }
    }

    /// <summary>Broadcasts without allow_paid_broadcast: N a second, or below one a second, one per 1/rate seconds.</summary>
    private (int Limit, TimeSpan Window)? FreeLimit()
    {
        if (_options.MaxMessagesPerSecond is not { } rate)
        {
            return null;
        }

        return rate >= 1 ? ((int)Math.Min(Math.Floor(rate), int.MaxValue), OneSecond) : (1, TimeSpan.FromSeconds(1 / rate));
    }
}
