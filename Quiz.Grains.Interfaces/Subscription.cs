namespace Quiz;

/// <summary>What a learner's <c>/start</c> tells us about where and how to reach them.</summary>
/// <param name="ChatId">The private chat to write to.</param>
/// <param name="LanguageCode">The learner's Telegram language, if known.</param>
/// <param name="UpdateId">Telegram's update id, so that a redelivered <c>/start</c> has its effect once.</param>
[GenerateSerializer, Immutable]
[Alias("quiz.subscription")]
public sealed record Subscription(
    [property: Id(0)] long ChatId,
    [property: Id(1)] string? LanguageCode,
    [property: Id(2)] long UpdateId = 0);
