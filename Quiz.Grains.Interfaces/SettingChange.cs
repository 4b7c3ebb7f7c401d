namespace Quiz;

/// <summary>
/// A learner's <c>/lang</c> or <c>/topics</c>, typed or tapped. <paramref name="Value"/> is a language code or a topic
/// index as the learner gave it (null: show the choices); a tap carries its callback query and the message it was under.
/// </summary>
/// <param name="Kind">Which setting.</param>
/// <param name="Value">The choice, unchecked.</param>
/// <param name="UpdateId">Telegram's update id, so that a redelivery has its effect once.</param>
/// <param name="LanguageCode">The sender's Telegram language, for a learner the bot does not know yet.</param>
/// <param name="CallbackQueryId">The tap to answer, if it was one.</param>
/// <param name="MessageId">The message whose keyboard was tapped, if it was a tap.</param>
/// <param name="DisplayName">The sender's Telegram first name, for <c>/top on</c>.</param>
[GenerateSerializer, Immutable]
[Alias("quiz.setting-change")]
public sealed record SettingChange(
    [property: Id(0)] SettingKind Kind,
    [property: Id(1)] string? Value,
    [property: Id(2)] long UpdateId,
    [property: Id(3)] string? LanguageCode,
    [property: Id(4)] string? CallbackQueryId = null,
    [property: Id(5)] int? MessageId = null,
    [property: Id(6)] string? DisplayName = null);
