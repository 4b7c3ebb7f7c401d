namespace Quiz;

/// <summary>A reply that needs no change of state.</summary>
/// <param name="ChatId">The chat to answer.</param>
/// <param name="Reply">What to say.</param>
/// <param name="Detail">What the learner sent that the reply quotes back (a time, a zone), if anything.</param>
/// <param name="LanguageCode">The sender's Telegram language: the reply's language where the learner chose none.</param>
[GenerateSerializer, Immutable]
[Alias("quiz.chat-reply-request")]
public sealed record ChatReplyRequest(
    [property: Id(0)] long ChatId,
    [property: Id(1)] ChatReply Reply,
    [property: Id(2)] string? Detail,
    [property: Id(3)] string? LanguageCode);
