namespace Quiz.Sending;

/// <summary>
/// This silo's replies over the last second, all chats together: at most <c>perSecond</c>. A reply over it waits in its
/// chat's queue until a place frees; it is never dropped. Not thread-safe: used under the dispatcher's lock.
/// </summary>
internal sealed class ReplyBudget
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly int _perSecond;

    public ReplyBudget(int perSecond)
    {
        _perSecond = perSecond;
    }

    /// <summary>How long until a reply may go; zero when one may go now.</summary>
    public TimeSpan WaitFrom(DateTimeOffset now)
    {
        while (_sent.Count > 0 && _sent.Peek() + Second <= now)
        {
            _sent.Dequeue();
        }

        return _sent.Count < _perSecond ? TimeSpan.Zero : _sent.Peek() + Second - now;
    }

    public void Take(DateTimeOffset now) => _sent.Enqueue(now);
}
