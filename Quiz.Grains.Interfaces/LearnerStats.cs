using System.Collections.Immutable;

namespace Quiz;

/// <summary>A learner's answered and correct counts in one topic.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.topic-stats")]
public sealed record TopicStats(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Asked,
    [property: Id(2)] int Answered,
    [property: Id(3)] int Correct);

/// <summary>What <c>/stats</c> shows a learner.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.learner-stats")]
public sealed record LearnerStats(
    [property: Id(0)] bool IsSubscribed,
    [property: Id(1)] bool IsActive,
    [property: Id(2)] Level Level,
    [property: Id(3)] int Streak,
    [property: Id(4)] int BestStreak,
    [property: Id(5)] int CorrectInARow,
    [property: Id(6)] int Answered,
    [property: Id(7)] int Correct,
    [property: Id(8)] ImmutableArray<TopicStats> Topics,
    [property: Id(9)] string TimeZoneId,
    [property: Id(10)] TimeOnly DeliveryTime,
    [property: Id(11)] DateTimeOffset? NextDelivery,
    [property: Id(12)] int ReviewsDue = 0,
    [property: Id(13)] int ReviewsDone = 0,
    [property: Id(14)] int FreezesHeld = 0);
