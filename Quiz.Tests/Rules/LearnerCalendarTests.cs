using Quiz.Rules;

namespace Quiz.Tests.Rules;

public sealed class LearnerCalendarTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void LearnersDayIsTheirOwnTimeZonesDate()
    {
        var instant = new DateTimeOffset(2026, 6, 1, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 6, 2), new LearnerCalendar(Tokyo, new TimeOnly(10, 0)).DayOf(instant));
        Assert.Equal(new DateOnly(2026, 6, 1), new LearnerCalendar(NewYork, new TimeOnly(10, 0)).DayOf(instant));
    }

    [Fact]
    public void DeliveryStaysAtLocalTimeAcrossSpringForward()
    {
        var calendar = new LearnerCalendar(Berlin, new TimeOnly(10, 0));

        // Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero), calendar.DeliveryInstant(new DateOnly(2026, 3, 28)));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero), calendar.DeliveryInstant(new DateOnly(2026, 3, 29)));
    }

    [Fact]
    public void DeliveryStaysAtLocalTimeAcrossFallBack()
    {
        var calendar = new LearnerCalendar(Berlin, new TimeOnly(10, 0));

        // Berlin moves from UTC+2 to UTC+1 on 2026-10-25.
        Assert.Equal(new DateTimeOffset(2026, 10, 24, 8, 0, 0, TimeSpan.Zero), calendar.DeliveryInstant(new DateOnly(2026, 10, 24)));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero), calendar.DeliveryInstant(new DateOnly(2026, 10, 25)));
    }

    [Fact]
    public void DeliveryTimeInTheSpringForwardGapMovesPastTheGap()
    {
        var calendar = new LearnerCalendar(Berlin, new TimeOnly(2, 30));

        // 02:30 does not exist in Berlin on 2026-03-29; it is delivered at 03:30 local, 01:30 UTC.
        var instant = calendar.DeliveryInstant(new DateOnly(2026, 3, 29));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(new DateOnly(2026, 3, 29), calendar.DayOf(instant));
    }

    [Fact]
    public void DeliveryTimeInTheRepeatedFallBackHourIsTakenOnce()
    {
        var calendar = new LearnerCalendar(Berlin, new TimeOnly(2, 30));

        // 02:30 happens twice in Berlin on 2026-10-25; the first (UTC+2) is the delivery instant.
        var instant = calendar.DeliveryInstant(new DateOnly(2026, 10, 25));

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(instant, calendar.NextDeliveryAfter(instant.AddMinutes(-1)));
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero), calendar.NextDeliveryAfter(instant));
    }

    [Fact]
    public void EveryLocalDayAcrossAYearHasExactlyOneDeliveryInstant()
    {
        var calendar = new LearnerCalendar(NewYork, new TimeOnly(2, 30));
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var days = new List<DateOnly>();
        for (var i = 0; i < 365; i++)
        {
            now = calendar.NextDeliveryAfter(now);
            days.Add(calendar.DayOf(now));
        }

        Assert.Equal(days.Count, days.Distinct().Count());
        Assert.All(days.Zip(days.Skip(1)), pair => Assert.Equal(pair.First.AddDays(1), pair.Second));
    }

    [Fact]
    public void DublinSpringForwardIsAGapAlthoughDotNetCallsWinterTheDaylightSavingPeriod()
    {
        var dublin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Dublin");
        var calendar = new LearnerCalendar(dublin, new TimeOnly(1, 30));

        // Dublin moves from 01:00 GMT to 02:00 IST on 2026-03-29: 01:30 does not exist and is read as 02:30 IST.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), calendar.DeliveryInstant(new DateOnly(2026, 3, 29)));
        // On 2026-10-25 01:30 comes twice (IST, then GMT); the first one counts.
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), calendar.DeliveryInstant(new DateOnly(2026, 10, 25)));
    }

    [Fact]
    public void DeliveryInstantIsRightAroundEveryZonesClockChangesIn2026()
    {
        var checkedDays = 0;
        var failures = new List<string>();
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones())
        {
            foreach (var change in ClockChanges(zone, 2026))
            {
                var changeLocal = TimeZoneInfo.ConvertTime(change, zone).DateTime;
                foreach (var day in new[] { DateOnly.FromDateTime(changeLocal).AddDays(-1), DateOnly.FromDateTime(changeLocal), DateOnly.FromDateTime(changeLocal).AddDays(1) })
                {
                    checkedDays++;
                    for (var minutes = 0; minutes < 24 * 60; minutes += 30)
                    {
                        var time = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minutes));
                        var expected = WallClockInstant(zone, day.ToDateTime(time));
                        var actual = new LearnerCalendar(zone, time).DeliveryInstant(day);
                        if (actual != expected)
                        {
                            failures.Add($"{zone.Id} {day:yyyy-MM-dd} {time:HH:mm}: expected {expected:u}, got {actual:u}");
                        }
                    }
                }
            }
        }

        Assert.True(checkedDays > 300, $"only {checkedDays} days around clock changes found: is tzdata installed?");
        Assert.True(failures.Count == 0, $"{failures.Count} wrong delivery instants, first: {string.Join("; ", failures.Take(5))}");
    }

    [Fact]
    public void UnknownTimeZoneIsRejected()
    {
        Assert.False(LearnerCalendar.TryFindZone("Mars/Olympus_Mons", out _));
        Assert.False(LearnerCalendar.TryFindZone(" ", out _));
        Assert.False(LearnerCalendar.TryFindZone("Europe/Ber\0lin", out _));
        Assert.False(LearnerCalendar.TryFindZone("../../etc/passwd", out _));
        Assert.True(LearnerCalendar.TryFindZone("Europe/Berlin", out var zone));
        Assert.Equal("Europe/Berlin", zone.Id);
    }

    /// <summary>Every instant in <paramref name="year"/> at which the zone's UTC offset changes, found from UTC alone.</summary>
    internal static IEnumerable<DateTimeOffset> ClockChanges(TimeZoneInfo zone, int year)
    {
        var at = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = at.AddYears(1);
        var offset = zone.GetUtcOffset(at);
        for (var next = at.AddHours(1); next < end; at = next, next = next.AddHours(1))
        {
            var nextOffset = zone.GetUtcOffset(next);
            if (nextOffset == offset)
            {
                continue;
            }

            var change = at;
            while (zone.GetUtcOffset(change) == offset)
            {
                change = change.AddMinutes(1);
            }

            offset = nextOffset;
            yield return change;
        }
    }

    /// <summary>
    /// The documented rule, computed by walking UTC minute by minute (the zone's UTC-to-local conversion is the one
    /// part of <see cref="TimeZoneInfo"/> trusted here): the first minute whose local reading is the wanted wall-clock
    /// time; if no minute reads it (a spring-forward gap), the wanted time read with the offset before the gap.
    /// </summary>
    internal static DateTimeOffset WallClockInstant(TimeZoneInfo zone, DateTime local)
    {
        var asUtc = new DateTimeOffset(local, TimeSpan.Zero);
        var offsets = new[] { asUtc.AddDays(-1), asUtc.AddDays(1) }.Select(zone.GetUtcOffset).ToList();
        for (var instant = asUtc - offsets.Max() - TimeSpan.FromHours(1); instant <= asUtc - offsets.Min() + TimeSpan.FromHours(1); instant = instant.AddMinutes(1))
        {
            var reading = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
            if (reading == local)
            {
                return instant;
            }

            if (reading > local)
            {
                return asUtc - zone.GetUtcOffset(instant.AddMinutes(-1));
            }
        }

        throw new InvalidOperationException($"{local} in {zone.Id} was never reached");
    }
}
