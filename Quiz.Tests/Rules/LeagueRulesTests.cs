using Quiz.Rules;

namespace Quiz.Tests.Rules;

/// <summary>Weekly leagues (issue 12): the week, the ranking and who moves at the week's end.</summary>
public sealed class LeagueRulesTests
{
    private static readonly DateOnly Week = new(2026, 11, 30);
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-11-30T00:00:00Z", "2026-11-30")]
    [InlineData("2026-12-06T23:59:59Z", "2026-11-30")]
    [InlineData("2026-12-07T00:00:00Z", "2026-12-07")]
    [InlineData("2026-12-02T23:30:00-05:00", "2026-11-30")]
    [InlineData("2026-12-06T23:30:00-05:00", "2026-12-07")]
    public void AWeekRunsFromMondayToSundayInUtc(string instant, string monday) =>
        Assert.Equal(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture),
            Leagues.WeekOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void TheWeekEndsAtSundayMidnightUtc() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), Leagues.EndOf(Week));

    [Fact]
    public void MoreRightAnswersRankFirstAndATieGoesToWhoReachedTheCountFirst()
    {
        var ranked = Leagues.Rank(
        [
            new LeagueStanding(1, "late", 3, Monday.AddDays(3)),
            new LeagueStanding(2, "none", 0, null),
            new LeagueStanding(3, "most", 4, Monday.AddDays(5)),
            new LeagueStanding(4, "early", 3, Monday.AddDays(2)),
        ]);

        Assert.Equal(["most", "early", "late", "none"], ranked.Select(s => s.Name));
    }

    [Fact]
    public void TheTopFiveMoveUpAndTheBottomFiveDown()
    {
        var league = new LeagueKey(Week, 2, Level.Intermediate, 0);
        var members = Enumerable.Range(1, 30).Select(i => new LeagueStanding(i, $"m{i}", 31 - i, Monday.AddHours(i)));

        var results = Leagues.Settle(league, members);

        Assert.Equal(Enumerable.Range(1, 30), results.Select(r => r.Result.Place));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), results.Where(r => r.Result.Move == LeagueMove.Up).Select(r => r.LearnerId));
        Assert.Equal(Enumerable.Range(26, 5).Select(i => (long)i), results.Where(r => r.Result.Move == LeagueMove.Down).Select(r => r.LearnerId));
        Assert.All(results, r => Assert.Equal(30, r.Result.Members));
        Assert.All(results, r => Assert.Equal(2 + r.Result.Move switch { LeagueMove.Up => 1, LeagueMove.Down => -1, _ => 0 }, r.Result.NextTier));
    }

    [Fact]
    public void InASmallLeagueTheTopFiveGoUpAndNoneOfThemGoesDown()
    {
        var results = Leagues.Settle(new LeagueKey(Week, 1, Level.Beginner, 0),
            Enumerable.Range(1, 7).Select(i => new LeagueStanding(i, $"m{i}", 10 - i, Monday.AddHours(i))));

        Assert.Equal([LeagueMove.Up, LeagueMove.Up, LeagueMove.Up, LeagueMove.Up, LeagueMove.Up, LeagueMove.Down, LeagueMove.Down],
            results.Select(r => r.Result.Move));
    }

    [Fact]
    public void NobodyMovesUpWithoutARightAnswerNorPastTheLastTierNorBelowTheFirst()
    {
        var idle = Enumerable.Range(1, 12).Select(i => new LeagueStanding(i, $"m{i}", i <= 2 ? 1 : 0, i <= 2 ? Monday.AddHours(i) : null)).ToList();

        var first = Leagues.Settle(new LeagueKey(Week, 0, Level.Beginner, 0), idle);
        var last = Leagues.Settle(new LeagueKey(Week, Leagues.Tiers - 1, Level.Expert, 0), idle);

        Assert.Equal([LeagueMove.Up, LeagueMove.Up], first.Where(r => r.Result.Move != LeagueMove.Stay).Select(r => r.Result.Move));
        Assert.Equal(5, last.Count(r => r.Result.Move == LeagueMove.Down));
        Assert.DoesNotContain(last, r => r.Result.Move == LeagueMove.Up);
        Assert.All(last, r => Assert.InRange(r.Result.NextTier, 0, Leagues.Tiers - 1));
    }

    [Theory]
    [InlineData("2026-11-30/0/Beginner/0")]
    [InlineData("2026-12-07/4/Expert/33333")]
    public void ALeagueKeyReadsBackFromItsText(string text) =>
        Assert.Equal(text, LeagueKey.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-30/0/Beginner")]
    [InlineData("2026-11-31/0/Beginner/0")]
    [InlineData("2026-11-30/-1/Beginner/0")]
    [InlineData("2026-11-30/0/Guru/0")]
    [InlineData("2026-11-30/0/7/0")]
    public void ATextThatIsNotALeagueKeyIsRefused(string text) =>
        Assert.False(LeagueKey.TryParse(text, out _));
}
