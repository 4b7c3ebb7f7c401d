using Orleans.Concurrency;

namespace Quiz;

/// <summary>
/// One weekly league of at most 30 learners (<see cref="LeagueKey"/> as text). Its members are in the database; it
/// keeps a reminder for the week's end, settles the week once and tells each member their place.
/// </summary>
[Alias("quiz.league-grain")]
public interface ILeagueGrain : IGrainWithStringKey
{
    /// <summary>A member joined: makes sure the week's end will be settled.</summary>
    [Alias("joined")]
    Task JoinedAsync();

    /// <summary>The table as it stands. Reads only, so it interleaves with a settlement that is telling the asking member.</summary>
    [Alias("table")]
    [AlwaysInterleave]
    Task<LeagueTable> GetTableAsync();

    /// <summary>Settles the week if it has ended and tells every member their place; safe to call any number of times.</summary>
    [Alias("settle")]
    Task<bool> SettleAsync();
}
