using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Quiz;

/// <summary>
/// One weekly league: the week (its Monday, UTC), the tier, the level its members had when they joined, and its
/// number among the leagues of that week, tier and level. Its text form is the <see cref="ILeagueGrain"/>'s key.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("quiz.league-key")]
public sealed record LeagueKey(
    [property: Id(0)] DateOnly Week,
    [property: Id(1)] int Tier,
    [property: Id(2)] Level Level,
    [property: Id(3)] int Number)
{
    /// <summary>"2026-11-30/0/Beginner/3".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Week:yyyy-MM-dd}/{Tier}/{Level}/{Number}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out LeagueKey? key)
    {
        key = null;
        var parts = text?.Split('/');
        if (parts is not { Length: 4 }
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var week)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var tier)
            || !Enum.TryParse<Level>(parts[2], out var level) || !Enum.IsDefined(level)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        key = new LeagueKey(week, tier, level, number);
        return true;
    }

    public static LeagueKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a league key (week/tier/level/number).");
}
