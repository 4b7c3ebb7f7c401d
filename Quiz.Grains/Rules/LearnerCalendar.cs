namespace Quiz.Rules;

/// <summary>
/// A learner's days and delivery instants in their own time zone. A day is the calendar date there;
/// the delivery instant of a day is the local delivery time on that date, moved past a daylight-saving gap
/// and taken at its first occurrence when the clock falls back, so no day is skipped or doubled.
/// </summary>
public sealed class LearnerCalendar
{
    private readonly TimeZoneInfo _zone;
    private readonly TimeOnly _deliveryTime;

    public LearnerCalendar(TimeZoneInfo zone, TimeOnly deliveryTime)
    {
        _zone = zone;
        _deliveryTime = deliveryTime;
    }

    public DateOnly DayOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    public DateTimeOffset DeliveryInstant(DateOnly day) => InstantAt(day, _deliveryTime);

    /// <summary>When the learner's clock shows <paramref name="time"/> on <paramref name="day"/>.</summary>
    public DateTimeOffset InstantAt(DateOnly day, TimeOnly time) => InstantOf(day.ToDateTime(time, DateTimeKind.Unspecified));

    /// <summary>What the learner's clock shows at <paramref name="instant"/>.</summary>
    public TimeOnly TimeOf(DateTimeOffset instant) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    /// <summary>The first instant of <paramref name="day"/>: when the day before it ends.</summary>
    public DateTimeOffset StartOf(DateOnly day) => InstantOf(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified));

    /// <summary>
    /// The instant a wall-clock time is reached: its first occurrence when the clock falls back; in a spring-forward gap,
    /// the time read with the offset in force before the gap, which lands as far past the gap as it was into it.
    /// </summary>
    /// <remarks>
    /// Built only on the zone's UTC-to-local conversion. The local-to-UTC queries (<see cref="TimeZoneInfo.IsInvalidTime"/>,
    /// <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/>) misread zones whose rules put daylight saving in winter
    /// (Europe/Dublin: 01:30 on 2026-03-29 is reported valid at UTC+1, which is 00:30 local).
    /// </remarks>
    private DateTimeOffset InstantOf(DateTime local)
    {
        var asUtc = new DateTimeOffset(local, TimeSpan.Zero);
        var offsets = new[] { asUtc.AddDays(-1), asUtc, asUtc.AddDays(1) }
            .Select(_zone.GetUtcOffset)
            .Distinct()
            .ToList();
        var occurrences = offsets
            .Select(offset => asUtc - offset)
            .Where(instant => TimeZoneInfo.ConvertTime(instant, _zone).DateTime == local)
            .ToList();
        return occurrences.Count > 0
            ? occurrences.Min()
            : asUtc - offsets.Min();
    }

    public bool IsDeliveryDue(DateTimeOffset now) => now >= DeliveryInstant(DayOf(now));

    /// <summary>The first delivery instant after <paramref name="now"/>.</summary>
    public DateTimeOffset NextDeliveryAfter(DateTimeOffset now)
    {
        var day = DayOf(now);
        var instant = DeliveryInstant(day);
        while (instant <= now)
        {
            day = day.AddDays(1);
            instant = DeliveryInstant(day);
        }

        return instant;
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
