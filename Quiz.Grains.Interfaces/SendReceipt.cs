namespace Quiz;

/// <summary>What became of one message of a learner's outbox.</summary>
[GenerateSerializer]
[Alias("quiz.send-outcome")]
public enum SendOutcome
{
    /// <summary>Telegram accepted it.</summary>
    Sent = 0,

    /// <summary>The learner blocked the bot or the chat is gone.</summary>
    Unreachable = 1,

    /// <summary>Telegram refused it for good (a bad request); it is dropped.</summary>
    Rejected = 2,

    /// <summary>Not accepted after every retry (an outage); a later tick tries again.</summary>
    Failed = 3,
}

/// <summary>The sender's word on outbox message <paramref name="Sequence"/>; <paramref name="MessageId"/> when sent.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.send-receipt")]
public sealed record SendReceipt(
    [property: Id(0)] long Sequence,
    [property: Id(1)] SendOutcome Outcome,
    [property: Id(2)] int? MessageId);
