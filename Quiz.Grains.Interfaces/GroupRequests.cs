namespace Quiz;

/// <summary>The bot was added to a group by <paramref name="ByUserId"/>, whose Telegram language the group's texts take.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.group-joined")]
public sealed record GroupJoined(
    [property: Id(0)] string Title,
    [property: Id(1)] long ByUserId,
    [property: Id(2)] string? LanguageCode,
    [property: Id(3)] long UpdateId);

/// <summary>
/// <c>/daily HH:MM Area/City</c> (<paramref name="DeliveryTime"/> set) or <c>/daily off</c> (null) from a group member;
/// only an admin's is taken.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("quiz.group-daily")]
public sealed record GroupDaily(
    [property: Id(0)] long UserId,
    [property: Id(1)] TimeOnly? DeliveryTime,
    [property: Id(2)] string? TimeZoneId,
    [property: Id(3)] string? LanguageCode,
    [property: Id(4)] long UpdateId);

/// <summary>A member's tap on an option of the group's question.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.group-answer")]
public sealed record GroupAnswer(
    [property: Id(0)] long UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string QuestionId,
    [property: Id(3)] DateOnly Day,
    [property: Id(4)] int Choice,
    [property: Id(5)] string? LanguageCode);
