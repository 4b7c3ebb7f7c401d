using Microsoft.Extensions.Logging;
using Quiz.Rules;

namespace Quiz.Social;

/// <summary>
/// One weekly league. Holds no state of its own: the members and results are in <see cref="ILeagueStore"/>. A reminder
/// brings it back after the week's end, however late or often the ticks come; the first settlement is stored and each
/// member told their place, and a member not reached is told at the next tick (a learner takes each week once).
/// </summary>
[GrainType("league")]
public sealed partial class LeagueGrain : Grain, ILeagueGrain, IRemindable
{
    public const string WeekEndReminder = "league-week-end";

    /// <summary>Ticks after the week's end, until every member has been told.</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromHours(1);

    /// <summary>The leagues of a week end together: each settles within this much after Sunday 24:00 UTC, not all at once.</summary>
    private static readonly TimeSpan SettlementSpread = TimeSpan.FromMinutes(30);

    private readonly ILeagueStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<LeagueGrain> _logger;
    private bool _hasReminder;
    private bool _everyoneTold;

    public LeagueGrain(ILeagueStore store, TimeProvider time, ILogger<LeagueGrain> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    private LeagueKey League => LeagueKey.Parse(this.GetPrimaryKeyString());

    public async Task JoinedAsync()
    {
        if (_hasReminder || _everyoneTold)
        {
            return;
        }

        var due = Leagues.EndOf(League.Week) + (SettlementSpread * Random.Shared.NextDouble()) - _time.GetUtcNow();
        await this.RegisterOrUpdateReminder(WeekEndReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, RetryPeriod);
        _hasReminder = true;
    }

    public async Task<LeagueTable> GetTableAsync()
    {
        var league = League;
        var standings = await _store.StandingsAsync(league, CancellationToken.None);
        var names = standings.ToDictionary(s => s.LearnerId, s => s.Name);
        if (await _store.ResultsAsync(league, CancellationToken.None) is { } results)
        {
            return new LeagueTable(league, [.. results.Select(r => new LeagueRow(r.Result.Place, r.LearnerId, names.GetValueOrDefault(r.LearnerId, "?"), r.Result.Correct))], IsSettled: true);
        }

        var ranked = Leagues.Rank(standings);
        return new LeagueTable(league, [.. ranked.Select((s, i) => new LeagueRow(i + 1, s.LearnerId, s.Name, s.Correct))], IsSettled: false);
    }

    public async Task<bool> SettleAsync()
    {
        var league = League;
        if (_time.GetUtcNow() < Leagues.EndOf(league.Week))
        {
            return false;
        }

        if (_everyoneTold)
        {
            return true;
        }

        var results = await _store.ResultsAsync(league, CancellationToken.None);
        if (results is null)
        {
            var placements = Leagues.Settle(league, await _store.StandingsAsync(league, CancellationToken.None));
            if (placements.Count > 0 && await _store.SaveResultsAsync(league, placements, CancellationToken.None))
            {
                LogSettled(league.ToString(), placements.Count);
            }

            results = await _store.ResultsAsync(league, CancellationToken.None) ?? [];
        }

        var untold = 0;
        foreach (var (learnerId, result) in results)
        {
            try
            {
                await GrainFactory.GetGrain<IUserGrain>(learnerId).LeagueWeekEndedAsync(result);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                untold++;
                LogNotTold(league.ToString(), learnerId, exception);
            }
        }

        if (untold == 0)
        {
            _everyoneTold = true;
            if (await this.GetReminder(WeekEndReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _hasReminder = false;
        }

        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == WeekEndReminder ? SettleAsync() : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "League {League} settled: {Members} members placed")]
    private partial void LogSettled(string league, int members);

    [LoggerMessage(Level = LogLevel.Warning, Message = "League {League}: learner {LearnerId} was not told the week's result; the next tick tries again")]
    private partial void LogNotTold(string league, long learnerId, Exception exception);
}
