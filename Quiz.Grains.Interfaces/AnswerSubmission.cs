namespace Quiz;

/// <summary>A learner's tap on one option of a question sent for a given local day.</summary>
/// <param name="UpdateId">Telegram's update id, so that a redelivered update is recognised.</param>
/// <param name="QuestionId">The question the tapped button belongs to.</param>
/// <param name="Day">The learner's local day the question was sent for.</param>
/// <param name="Choice">The chosen option, 0 for A to 3 for D.</param>
/// <param name="CallbackQueryId">Telegram's callback query to answer with a toast, if the tap came from Telegram.</param>
/// <param name="MessageId">The message whose button was tapped: the one to edit with the feedback.</param>
[GenerateSerializer, Immutable]
[Alias("quiz.answer-submission")]
public sealed record AnswerSubmission(
    [property: Id(0)] long UpdateId,
    [property: Id(1)] string QuestionId,
    [property: Id(2)] DateOnly Day,
    [property: Id(3)] int Choice,
    [property: Id(4)] string? CallbackQueryId = null,
    [property: Id(5)] int? MessageId = null);
