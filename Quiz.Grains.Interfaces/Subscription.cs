namespace Quiz;

/// <summary>What a learner's <c>/start</c> tells us about where and how to reach them.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.subscription")]
public sealed record Subscription(
    [property: Id(0)] long ChatId,
    [property: Id(1)] string? LanguageCode);
