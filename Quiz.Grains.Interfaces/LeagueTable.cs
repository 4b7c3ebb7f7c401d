namespace Quiz;

/// <summary>Where a learner goes when a league's week ends.</summary>
[GenerateSerializer]
[Alias("quiz.league-move")]
public enum LeagueMove
{
    Stay = 0,
    Up = 1,
    Down = 2,
}

/// <summary>One line of a league's table: the place, the member and their right answers this week.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.league-row")]
public sealed record LeagueRow(
    [property: Id(0)] int Place,
    [property: Id(1)] long LearnerId,
    [property: Id(2)] string Name,
    [property: Id(3)] int Correct);

/// <summary>A league's table as it stands (or as it was settled, once the week has ended).</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.league-table")]
public sealed record LeagueTable(
    [property: Id(0)] LeagueKey League,
    [property: Id(1)] IReadOnlyList<LeagueRow> Rows,
    [property: Id(2)] bool IsSettled);

/// <summary>What a member is told when their league's week ends.</summary>
[GenerateSerializer, Immutable]
[Alias("quiz.league-result")]
public sealed record LeagueResult(
    [property: Id(0)] LeagueKey League,
    [property: Id(1)] int Place,
    [property: Id(2)] int Members,
    [property: Id(3)] int Correct,
    [property: Id(4)] LeagueMove Move,
    [property: Id(5)] int NextTier);
