namespace Quiz.Rules;

/// <summary>A league member's week so far: right answers on time, and when they reached that count (null: none yet).</summary>
public sealed record LeagueStanding(long LearnerId, string Name, int Correct, DateTimeOffset? ReachedAt);

/// <summary>A member's result at the end of the week.</summary>
public sealed record LeaguePlacement(long LearnerId, LeagueResult Result);

/// <summary>
/// Weekly leagues (docs/rules.md, "Weekly leagues"). A week runs from Monday 00:00 to Sunday 24:00 UTC. Learners who
/// join are grouped into leagues of at most <see cref="MaxMembers"/> of one tier and one level. A league ranks its
/// members by right answers given in its week, ties going to whoever reached the count first (then to who joined
/// first, by id). When the week ends, the top <see cref="Moving"/> who answered at least one right go up a tier and the
/// bottom <see cref="Moving"/> (never one of the top five) go down; the first tier has nothing below, the last nothing above.
/// </summary>
public static class Leagues
{
    public const int MaxMembers = 30;
    public const int Moving = 5;

    /// <summary>Bronze, Silver, Gold, Sapphire, Diamond: their names are in the texts (<c>league.tier.N</c>).</summary>
    public const int Tiers = 5;

    /// <summary>The Monday (UTC) of the week that holds <paramref name="utc"/>.</summary>
    public static DateOnly WeekOf(DateTimeOffset utc) => Weeks.MondayOf(DateOnly.FromDateTime(utc.UtcDateTime));

    /// <summary>Sunday 24:00 UTC of the week starting on <paramref name="week"/>.</summary>
    public static DateTimeOffset EndOf(DateOnly week) => new(week.AddDays(7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static IReadOnlyList<LeagueStanding> Rank(IEnumerable<LeagueStanding> members) =>
    [
        .. members.OrderByDescending(m => m.Correct)
            .ThenBy(m => m.ReachedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(m => m.LearnerId),
    ];

    /// <summary>Each member's place and move at the end of the week, in place order.</summary>
    public static IReadOnlyList<LeaguePlacement> Settle(LeagueKey league, IEnumerable<LeagueStanding> members)
    {
        var ranked = Rank(members);
        var results = new List<LeaguePlacement>(ranked.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var place = i + 1;
            var standing = ranked[i];
            var move = place <= Moving
                ? (standing.Correct > 0 && league.Tier < Tiers - 1 ? LeagueMove.Up : LeagueMove.Stay)
                : (place > ranked.Count - Moving && league.Tier > 0 ? LeagueMove.Down : LeagueMove.Stay);
            var next = league.Tier + move switch { LeagueMove.Up => 1, LeagueMove.Down => -1, _ => 0 };
            results.Add(new LeaguePlacement(standing.LearnerId, new LeagueResult(league, place, ranked.Count, standing.Correct, move, next)));
        }

        return results;
    }
}
