using System.Collections.Immutable;
using Orleans;

namespace Quiz;

/// <summary>
/// One multiple-choice question with exactly one correct option, written in English; <see cref="Translations"/> gives
/// its wording in other languages, by language code.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("quiz.question")]
public sealed record Question(
    [property: Id(0)] string Id,
    [property: Id(1)] string Topic,
    [property: Id(2)] Level Level,
    [property: Id(3)] string Text,
    [property: Id(4)] ImmutableArray<string> Options,
    [property: Id(5)] int CorrectIndex,
    [property: Id(6)] string Explanation,
    [property: Id(7)] string? Reference,
    [property: Id(8)] ImmutableDictionary<string, QuestionTranslation>? Translations = null)
{
    /// <summary>This question in <paramref name="languageCode"/> where it has that translation, else as it is.</summary>
    public Question In(string languageCode) =>
        Translations is not null && Translations.TryGetValue(languageCode, out var translation)
            ? this with { Text = translation.Text, Options = translation.Options, Explanation = translation.Explanation }
            : this;
}
