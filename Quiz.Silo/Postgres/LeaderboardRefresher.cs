using Npgsql;

namespace Quiz.Silo.Postgres;

/// <summary>
/// Rebuilds the <c>/top</c> tables once a minute. Every silo asks; <c>quiz_refresh_leaderboard</c> lets one of them do
/// it per minute (an advisory lock and the time of the last rebuild), so the cluster's cost does not grow with silos.
/// </summary>
public sealed partial class LeaderboardRefresher : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaderboardRefresher> _logger;

    public LeaderboardRefresher(NpgsqlDataSource dataSource, TimeProvider time, ILogger<LeaderboardRefresher> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var command = _dataSource.CreateCommand("select quiz_refresh_leaderboard($1)");
                command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime) });
                await command.ExecuteScalarAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                // The tops stay a minute older; the next tick tries again.
                LogRefreshFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The /top tables could not be rebuilt; they are served as they were")]
    private partial void LogRefreshFailed(Exception exception);
}
