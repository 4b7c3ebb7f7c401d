namespace Quiz;

/// <summary>The result of <c>/time</c>: the schedule now in force.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.schedule-change")]
public sealed record ScheduleChange(
    [property: Id(0)] TimeOnly DeliveryTime,
    [property: Id(1)] string TimeZoneId,
    [property: Id(2)] DateTimeOffset NextDelivery);
