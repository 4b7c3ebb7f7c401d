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

    public DateTimeOffset DeliveryInstant(DateOnly day)
    {
        var local = day.ToDateTime(_deliveryTime, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (_zone.IsInvalidTime(local))
        {
            // In a spring-forward gap: keep the offset in force before the gap, which lands just after it.
            offset = _zone.GetUtcOffset(local.AddHours(-3));
        }
        else if (_zone.IsAmbiguousTime(local))
        {
            offset = _zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = _zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
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
