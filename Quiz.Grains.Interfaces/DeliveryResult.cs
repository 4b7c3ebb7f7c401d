namespace Quiz;

/// <summary>What a delivery attempt did for the learner's current local day.</summary>
[GenerateSerializer]
[Alias("quiz.delivery-status")]
public enum DeliveryStatus
{
    /// <summary>Today's question is recorded and on its way: the learner's outbox sends it at the broadcast rate.</summary>
    Sent = 0,

    /// <summary>Today's question had already gone out; nothing was sent again.</summary>
    AlreadySent = 1,

    /// <summary>Today's delivery time has not come yet.</summary>
    NotDue = 2,

    /// <summary>The learner has stopped the quiz or blocked the bot.</summary>
    Inactive = 3,

    /// <summary>Sending failed; the day stays open and a later tick tries again.</summary>
    Failed = 4,

    /// <summary>The bank has no question at the learner's level.</summary>
    NoQuestion = 5,
}

/// <summary>The outcome of a delivery attempt.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.delivery-result")]
public sealed record DeliveryResult(
    [property: Id(0)] DeliveryStatus Status,
    [property: Id(1)] string? QuestionId,
    [property: Id(2)] DateOnly Day);
