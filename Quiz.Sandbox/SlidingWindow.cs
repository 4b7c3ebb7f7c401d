namespace Quiz.Sandbox;

/// <summary>
/// The times of accepted calls, oldest first, for limits and counts over a sliding window whose length the caller
/// gives each time (so a changed setting applies at once). Not thread-safe: used under <see cref="SandboxState"/>'s lock.
/// </summary>
internal sealed class SlidingWindow
{
    private readonly Queue<DateTimeOffset> _times = new();

    /// <summary>How many calls fall within <paramref name="length"/> before <paramref name="now"/>; older ones are dropped.</summary>
    public int Count(DateTimeOffset now, TimeSpan length)
    {
        while (_times.Count > 0 && now - _times.Peek() >= length)
        {
            _times.Dequeue();
        }

        return _times.Count;
    }

    /// <summary>Records a call at <paramref name="now"/> and returns how many fall within the window, this one included.</summary>
    public int Add(DateTimeOffset now, TimeSpan length)
    {
        _times.Enqueue(now);
        return Count(now, length);
    }

    /// <summary>How long until the oldest call in the window leaves it; zero when the window is empty.</summary>
    public TimeSpan UntilOldestLeaves(DateTimeOffset now, TimeSpan length) =>
        Count(now, length) == 0 ? TimeSpan.Zero : _times.Peek() + length - now;
}
