using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Quiz.Gateway;

/// <summary>What to do with a chat's next command.</summary>
public enum FloodVerdict
{
    Allow,

    /// <summary>Over the limit for the first time in this window: ask the learner to slow down.</summary>
    SlowDown,

    /// <summary>Over the limit and already told: drop it.</summary>
    Drop,
}

/// <summary>
/// Per-chat command limit in this gateway's memory: a learner hammering commands gets one polite "slow down" per
/// window and the rest never reach the cluster. Behind several gateways each keeps its own count, which is enough to
/// protect the cluster from one chat.
/// </summary>
public sealed class ChatFloodControl
{
    private readonly ConcurrentDictionary<long, Window> _chats = new();
    private readonly TimeProvider _clock;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private long _nextSweepTicks;

    public ChatFloodControl(IOptions<GatewayOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _limit = options.Value.FloodLimit;
        _window = options.Value.FloodWindow;
    }

    public FloodVerdict Check(long chatId)
    {
        var now = _clock.GetUtcNow();
        SweepIfDue(now);
        var window = _chats.AddOrUpdate(
            chatId,
            _ => new Window(now, 1, false),
            (_, w) => now - w.Start >= _window ? new Window(now, 1, false) : w with { Count = w.Count + 1 });
        if (window.Count <= _limit)
        {
            return FloodVerdict.Allow;
        }

        if (window.Warned)
        {
            return FloodVerdict.Drop;
        }

        _chats[chatId] = window with { Warned = true };
        return FloodVerdict.SlowDown;
    }

    /// <summary>How many chats are counted now: those seen within the last window, and any older not yet swept.</summary>
    public int ChatsCounted => _chats.Count;

    /// <summary>Forgets the chats whose window has passed; every window, so the counts take memory only for chats of the last one.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + _window).UtcTicks, due) != due)
        {
            // Not due, or another request is sweeping.
            return;
        }

        foreach (var (chat, window) in _chats)
        {
            if (now - window.Start >= _window)
            {
                _chats.TryRemove(chat, out _);
            }
        }
    }

    private sealed record Window(DateTimeOffset Start, int Count, bool Warned);
}
