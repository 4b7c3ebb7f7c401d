namespace Quiz.Sending;

/// <summary>
/// One chat's recent sends: at most <c>burst</c> messages in any window of <c>burst</c> seconds, which is Telegram's
/// "about one message a second in a chat, short bursts tolerated" (Bots FAQ); for a group, also at most
/// <c>perMinute</c> in any minute (the FAQ's 20 a minute in a group). A 429 for this chat pauses it.
/// </summary>
internal sealed class ChatSendWindow
{
    /// <summary>Added to the window so that a request delayed on its way cannot arrive inside the previous one.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1) + Margin;

    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly int _burst;
    private readonly TimeSpan _window;
    private readonly int? _perMinute;
    private DateTimeOffset _pausedUntil;

    public ChatSendWindow(int burst, int? perMinute = null)
    {
        _burst = burst;
        _window = TimeSpan.FromSeconds(burst) + Margin;
        _perMinute = perMinute;
    }

    private TimeSpan Kept => _perMinute is null ? _window : Minute;

    /// <summary>The replies waiting for this chat, in order.</summary>
    public LinkedList<OutboundMessage> Replies { get; } = new();

    /// <summary>Whether a task is sending this chat's replies.</summary>
    public bool IsDraining { get; set; }

    /// <summary>How long until a message may go to this chat; zero when one may go now.</summary>
    public TimeSpan WaitFrom(DateTimeOffset now)
    {
        Forget(now);
        var until = _pausedUntil;
        if (_perMinute is null)
        {
            // Only the burst window is kept: its oldest send frees the next place.
            if (_sent.Count >= _burst)
            {
                var windowFree = _sent.Peek() + _window;
                until = windowFree > until ? windowFree : until;
            }
        }
        else
        {
            var sent = _sent.ToArray();
            var inWindow = sent.Count(at => at + _window > now);
            if (inWindow >= _burst)
            {
                var windowFree = sent[^_burst] + _window;
                until = windowFree > until ? windowFree : until;
            }

            if (sent.Length >= _perMinute)
            {
                var minuteFree = sent[^_perMinute.Value] + Minute;
                until = minuteFree > until ? minuteFree : until;
            }
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
        while (_sent.Count > 0 && _sent.Peek() + Kept <= now)
        {
            _sent.Dequeue();
        }
    }
}
