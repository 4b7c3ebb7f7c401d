namespace Quiz.Testing;

public static class SendTimes
{
    /// <summary>The most of <paramref name="times"/> (in order) in any window of one second.</summary>
    public static int MaxInAnySecond(IReadOnlyList<DateTimeOffset> times)
    {
        var most = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }
}
