using Quiz.Conversation;
using Quiz.Rules;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Grains;

/// <summary>Weekly leagues on real grains and PostgreSQL: joining, the table, and the week's end settled once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LeagueTests
{
    private readonly QuizTestCluster _cluster;

    public LeagueTests(ClusterFixture fixture)
    {
        _cluster = fixture.Cluster;
    }

    [Fact]
    public async Task AWeekIsSettledOnceEvenWhenTheTickDoublesAndEachMemberIsToldTheirPlaceAndMovesOn()
    {
        var clock = _cluster.Services.Clock;
        var monday = NextMonday();
        var sender = _cluster.Services.Sender;
        var learners = Enumerable.Range(0, 7).Select(_ => ClusterFixture.NewLearnerId()).ToList();
        var outsider = ClusterFixture.NewLearnerId();
        foreach (var (id, i) in learners.Select((id, i) => (id, i)).Append((outsider, 7)))
        {
            var user = _cluster.Grains.GetGrain<IUserGrain>(id);
            await user.SubscribeAsync(new Subscription(id, "en"));
            if (id != outsider)
            {
                await user.ChangeSettingAsync(new SettingChange(SettingKind.League, null, 0, "en", DisplayName: $"L{i}"));
            }
        }

        // Learners 4, 3, 2, 1, 0 answer right in that order (a tie goes to who got there first), 5 wrong, 6 not at all.
        foreach (var i in new[] { 4, 3, 2, 1, 0, 5 })
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var sent = await sender.WaitForQuestionAsync(learners[i]);
            var choice = i == 5 ? (sent.Question.CorrectIndex + 1) % 4 : sent.Question.CorrectIndex;
            await _cluster.Grains.GetGrain<IUserGrain>(learners[i]).AnswerAsync(new AnswerSubmission(0, sent.Question.Id, sent.Day, choice));
        }

        var texts = BotTexts.For("en");
        var league = new LeagueKey(monday, 0, Difficulty.StartingLevel, 0);
        await _cluster.Grains.GetGrain<IUserGrain>(learners[0]).ChangeSettingAsync(new SettingChange(SettingKind.League, null, 0, "en"));
        var table = await WaitForTextAsync(learners[0], t => t.Contains("5. L0", StringComparison.Ordinal));
        Assert.Contains("\n1. L4 · 1\n2. L3 · 1\n3. L2 · 1\n4. L1 · 1\n<b>5. L0 · 1</b> ← you\n6. L5 · 0\n7. L6 · 0", table, StringComparison.Ordinal);
        Assert.DoesNotContain("L7", table, StringComparison.Ordinal);

        var leagueGrain = _cluster.Grains.GetGrain<ILeagueGrain>(league.ToString());
        Assert.False(await leagueGrain.SettleAsync());
        clock.SetUtcNow(Leagues.EndOf(monday).AddMinutes(30));
        var settled = await Task.WhenAll(leagueGrain.SettleAsync(), leagueGrain.SettleAsync());
        Assert.True(await leagueGrain.SettleAsync());

        Assert.Equal([true, true], settled);
        Assert.Equal(7, await Database.ScalarAsync<long>(_cluster.ConnectionString,
            "select count(*) from league_results where week = @week and tier = 0 and number = 0", ("week", monday)));
        var first = await WaitForTextAsync(learners[4], t => t.StartsWith("🏁", StringComparison.Ordinal));
        Assert.Equal(texts.LeagueWeekEnded(new LeagueResult(league, 1, 7, 1, LeagueMove.Up, 1), inNewLeague: true), first);
        var last = await WaitForTextAsync(learners[6], t => t.StartsWith("🏁", StringComparison.Ordinal));
        Assert.Equal(texts.LeagueWeekEnded(new LeagueResult(league, 7, 7, 0, LeagueMove.Stay, 0), inNewLeague: true), last);
        await Task.Delay(500);
        Assert.All(learners, id => Assert.Single(sender.TextsTo(id), t => t.StartsWith("🏁", StringComparison.Ordinal)));
        Assert.Equal("0 0 1 1 1 1 1", await Database.ScalarAsync<string>(_cluster.ConnectionString,
            "select string_agg(tier::text, ' ' order by tier) from league_members where week = @week and learner_id = any(@ids)",
            ("week", monday.AddDays(7)), ("ids", learners.ToArray())));
    }

    [Fact]
    public async Task LeavingTakesTheLearnerOutOfTheTableAndABadArgumentChangesNothing()
    {
        NextMonday();
        var (stays, leaves) = (ClusterFixture.NewLearnerId(), ClusterFixture.NewLearnerId());
        foreach (var (id, name) in new[] { (leaves, "Leaves"), (stays, "Stays") })
        {
            var user = _cluster.Grains.GetGrain<IUserGrain>(id);
            await user.SubscribeAsync(new Subscription(id, "en"));
            await user.ChangeSettingAsync(new SettingChange(SettingKind.League, null, 0, "en", DisplayName: name));
        }

        var leaver = _cluster.Grains.GetGrain<IUserGrain>(leaves);
        await leaver.ChangeSettingAsync(new SettingChange(SettingKind.League, "sometimes", 0, "en"));
        await leaver.ChangeSettingAsync(new SettingChange(SettingKind.League, "off", 0, "en"));
        await leaver.ChangeSettingAsync(new SettingChange(SettingKind.League, "off", 0, "en"));
        await _cluster.Grains.GetGrain<IUserGrain>(stays).ChangeSettingAsync(new SettingChange(SettingKind.League, null, 0, "en"));

        var texts = BotTexts.For("en");
        await WaitForTextAsync(leaves, t => t == texts.BadLeagueCommand);
        await WaitForTextAsync(leaves, t => t == texts.LeagueLeft);
        await WaitForTextAsync(leaves, t => t == texts.NotInLeague);
        var table = await WaitForTextAsync(stays, t => t.StartsWith("🏅", StringComparison.Ordinal) && !t.Contains("Leaves", StringComparison.Ordinal));
        Assert.Contains("<b>1. Stays · 0</b> ← you", table, StringComparison.Ordinal);
    }

    /// <summary>Moves the shared clock to the next Monday 07:00 UTC: a week no other test has leagues in.</summary>
    private DateOnly NextMonday()
    {
        var now = _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        while (now.DayOfWeek != DayOfWeek.Monday)
        {
            now = _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(7, 0));
        }

        return DateOnly.FromDateTime(now.UtcDateTime);
    }

    private async Task<string> WaitForTextAsync(long chatId, Func<string, bool> match)
    {
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.TextsTo(chatId).Any(match), TimeSpan.FromSeconds(30), $"a text to {chatId}");
        return _cluster.Services.Sender.TextsTo(chatId).Last(match);
    }
}
