namespace Quiz.Sending;

/// <summary>
/// One chat's recent sends: at most <c>burst</c> messages in any window of <c>burst</c> seconds, which is Telegram's
/// "about one message a second in a chat, short bursts tolerated" (Bots FAQ). A 429 for this chat pauses it.
/// </summary>
internal sealed class ChatSendWindow
{
    /// <summary>Added to the window so that a request delayed on its way cannot arrive inside the previous one.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);

    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly int _burst;
    private readonly TimeSpan _window;
    private DateTimeOffset _pausedUntil;

    public ChatSendWindow(int burst)
    {
        _burst = burst;
        _window = TimeSpan.FromSeconds(burst) + Margin;
    }

    /// <summary>The replies waiting for this chat, in order.</summary>
    public LinkedList<OutboundMessage> Replies { get; } = new();

    /// <summary>Whether a task is sending this chat's replies.</summary>
    public bool IsDraining { get; set; }

    /// <summary>How long until a message may go to this chat; zero when one may go now.</summary>
    public TimeSpan WaitFrom(DateTimeOffset now)
    {
        Forget(now);
        var until = _pausedUntil;
        if (_sent.Count >= _burst)
        {
            var windowFree = _sent.Peek() + _window;
            until = windowFree > until ? windowFree : until;
        }

        return until > now ? until - now : TimeSpan.Zero;
    }

    public void Take(DateTimeOffset now) => _sent.Enqueue(now);

    public void Pause(DateTimeOffset until)
    {
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
        }
    }

    /// <summary>Whether the chat has nothing queued and nothing in its window: its entry can go.</summary>
    public bool IsIdle(DateTimeOffset now)
    {
        Forget(now);
        return Replies.Count == 0 && !IsDraining && _sent.Count == 0 && now >= _pausedUntil;
    }

    private void Forget(DateTimeOffset now)
    {
        while (_sent.Count > 0 && _sent.Peek() + _window <= now)
        {
            _sent.Dequeue();
        }
    }
}
