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
    public void UnknownTimeZoneIsRejected()
    {
        Assert.False(LearnerCalendar.TryFindZone("Mars/Olympus_Mons", out _));
        Assert.True(LearnerCalendar.TryFindZone("Europe/Berlin", out var zone));
        Assert.Equal("Europe/Berlin", zone.Id);
    }
}
