namespace Quiz.Testing;

public static class LearnerIds
{
    private static long _next = 1_000_000 + (Environment.TickCount64 % 1_000_000) * 1000;

    /// <summary>A learner id nothing else in this process uses, nor an earlier run against the same database.</summary>
    public static long Next() => Interlocked.Increment(ref _next);
}
