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
    private readonly ConcurrentDictionary<long, Window> _taps = new();
    private readonly TimeProvider _clock;
    private readonly int _limit;
    private readonly int _tapLimit;
    private readonly TimeSpan _window;
    private long _nextSweepTicks;

    public ChatFloodControl(IOptions<GatewayOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _limit = options.Value.FloodLimit;
        _tapLimit = options.Value.TapFloodLimit;
        _window = options.Value.FloodWindow;
    }

    /// <summary>A command from the chat.</summary>
    public FloodVerdict Check(long chatId) => Check(_chats, _limit, chatId);

    /// <summary>A button tap in the chat: counted apart, with a higher limit, as a settings keyboard is tapped in quick runs.</summary>
    public FloodVerdict CheckTap(long chatId) => Check(_taps, _tapLimit, chatId);

    private FloodVerdict Check(ConcurrentDictionary<long, Window> chats, int limit, long chatId)
    {
        var now = _clock.GetUtcNow();
        SweepIfDue(now);
        var window = chats.AddOrUpdate(
            chatId,
            _ => new Window(now, 1, false),
            (_, w) => now - w.Start >= _window ? new Window(now, 1, false) : w with { Count = w.Count + 1 });
        if (window.Count <= limit)
        {
            return FloodVerdict.Allow;
        }

        if (window.Warned)
        {
            return FloodVerdict.Drop;
        }

        chats[chatId] = window with { Warned = true };
        return FloodVerdict.SlowDown;
    }

    /// <summary>How many chats are counted now: those seen within the last window, and any older not yet swept.</summary>
    public int ChatsCounted => _chats.Count + _taps.Count;

    /// <summary>Forgets the chats whose window has passed; every window, so the counts take memory only for chats of the last one.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + _window).UtcTicks, due) != due)
        {
            // Not due, or another request is sweeping.
            return;
        }

        foreach (var chats in new[] { _chats, _taps })
        {
            foreach (var (chat, window) in chats)
            {
                if (now - window.Start >= _window)
                {
                    chats.TryRemove(chat, out _);
                }
            }
        }
    }

    private sealed record Window(DateTimeOffset Start, int Count, bool Warned);
}
