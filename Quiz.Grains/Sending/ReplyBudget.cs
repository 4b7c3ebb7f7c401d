namespace Quiz.Sending;

/// <summary>
/// This silo's replies over the last second, all chats together: at most <c>perSecond</c>. A reply over it waits in
/// line (first come, first served) until a place frees a second after it was taken; it is never dropped. Waiting here
/// costs nothing while it waits: many chats held up at once do not wake each other.
/// </summary>
internal sealed class ReplyBudget : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _places;
    private readonly TimeProvider _clock;

    public ReplyBudget(int perSecond, TimeProvider clock)
    {
        _places = new SemaphoreSlim(perSecond, perSecond);
        _clock = clock;
    }

    /// <summary>Waits for a place; the caller then <see cref="Spend"/>s it or, if it cannot send after all, <see cref="Return"/>s it.</summary>
    public Task WaitAsync() => _places.WaitAsync();

    /// <summary>The place was used for a send: it frees a second from now.</summary>
    public void Spend() => _ = ReleaseAfterASecondAsync();

    /// <summary>The place was not used: it is free again at once.</summary>
    public void Return() => _places.Release();

    public void Dispose() => _places.Dispose();

    private async Task ReleaseAfterASecondAsync()
    {
        await Task.Delay(Second, _clock);
        try
        {
            _places.Release();
        }
        catch (ObjectDisposedException)
        {
            // The silo stopped within the second: nothing waits for the place any more.
        }
    }
}
