using System.Collections.Concurrent;
using System.Net;

namespace Quiz.Silo;

/// <summary>
/// Failed sign-ins to the dashboard per address: after <see cref="MaxFailures"/> within <see cref="Window"/>, the
/// address is refused until the window has passed, so a password cannot be guessed at the speed of HTTP.
/// </summary>
public sealed class SignInThrottle
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<IPAddress, (DateTimeOffset Since, int Failures)> _failures = new();
    private readonly TimeProvider _time;

    public SignInThrottle(TimeProvider time)
    {
        _time = time;
    }

    public bool IsLockedOut(IPAddress address) =>
        _failures.TryGetValue(address, out var entry) && _time.GetUtcNow() - entry.Since < Window && entry.Failures >= MaxFailures;

    public void Failed(IPAddress address)
    {
        var now = _time.GetUtcNow();
        _failures.AddOrUpdate(address, _ => (now, 1), (_, entry) => now - entry.Since >= Window ? (now, 1) : (entry.Since, entry.Failures + 1));
        foreach (var (stale, entry) in _failures)
        {
            // Each failure sweeps the passed windows: the table holds the addresses of the last few minutes only.
            if (now - entry.Since >= Window)
            {
                _failures.TryRemove(stale, out _);
            }
        }
    }
}
