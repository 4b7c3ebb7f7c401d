namespace Quiz;

/// <summary>The outcome of a <c>/start</c>: whether the learner is new and which question (if any) went out at once.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.subscribe-result")]
public sealed record SubscribeResult(
    [property: Id(0)] bool IsNewLearner,
    [property: Id(1)] bool WasActive,
    [property: Id(2)] DeliveryResult Delivery,
    [property: Id(3)] DateTimeOffset NextDelivery);
