using System.Collections.Immutable;
using Orleans;

namespace Quiz;

/// <summary>A question's wording in another language: the text, the four options in the same order, the explanation.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.question-translation")]
public sealed record QuestionTranslation(
    [property: Id(0)] string Text,
    [property: Id(1)] ImmutableArray<string> Options,
    [property: Id(2)] string Explanation)
{
    /// <summary>The languages a question may be translated into: those the bot speaks besides English (docs/languages.md).</summary>
    public static IReadOnlyList<string> Languages { get; } = ["ru", "es"];
}
