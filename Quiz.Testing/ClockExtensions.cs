using Microsoft.Extensions.Time.Testing;

namespace Quiz.Testing;

public static class ClockExtensions
{
    /// <summary>Moves the clock forward to the next time it is <paramref name="utcTime"/> UTC, at least a day ahead.</summary>
    public static DateTimeOffset AdvanceToNextDayAt(this FakeTimeProvider clock, TimeOnly utcTime)
    {
        var now = clock.GetUtcNow();
        var target = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToDateTime(utcTime), TimeSpan.Zero);
        clock.SetUtcNow(target);
        return target;
    }

    /// <summary>Waits in real time (the reminder service runs on real timers) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>As <see cref="WaitUntilAsync(Func{bool}, TimeSpan, string)"/>, for a condition that asks a grain.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
