using System.Collections.Immutable;
using Orleans;

namespace Quiz;

/// <summary>One multiple-choice question with exactly one correct option.</summary>
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
    [property: Id(7)] string? Reference);
