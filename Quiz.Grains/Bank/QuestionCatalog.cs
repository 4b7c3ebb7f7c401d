using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Quiz.Bank;

/// <summary>
/// The silo's cached copy of the active bank, grouped by level, reloaded when older than
/// <see cref="QuestionBankOptions.RefreshInterval"/>. One per silo, shared by every local bank activation.
/// </summary>
public sealed partial class QuestionCatalog : IDisposable
{
    private readonly IQuestionSource _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly ILogger<QuestionCatalog> _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Snapshot? _snapshot;

    public QuestionCatalog(IQuestionSource source, TimeProvider time, IOptions<QuestionBankOptions> options, ILogger<QuestionCatalog> logger)
    {
        _source = source;
        _time = time;
        _refreshInterval = options.Value.RefreshInterval;
        _logger = logger;
    }

    public async Task<ImmutableDictionary<Level, ImmutableArray<Question>>> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && _time.GetUtcNow() - snapshot.LoadedAt < _refreshInterval)
        {
            return snapshot.ByLevel;
        }

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && _time.GetUtcNow() - snapshot.LoadedAt < _refreshInterval)
            {
                return snapshot.ByLevel;
            }

            try
            {
                var questions = await _source.LoadActiveAsync(cancellationToken);
                var byLevel = questions.GroupBy(q => q.Level).ToImmutableDictionary(g => g.Key, g => g.ToImmutableArray());
                _snapshot = new Snapshot(byLevel, _time.GetUtcNow());
                LogLoaded(questions.Count);
                return byLevel;
            }
            catch (Exception exception) when (snapshot is not null && exception is not OperationCanceledException)
            {
                LogRefreshFailed(exception);
                _snapshot = snapshot with { LoadedAt = _time.GetUtcNow() };
                return snapshot.ByLevel;
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Makes the next read reload the bank (after this silo added a question).</summary>
    public void Invalidate()
    {
        if (_snapshot is { } snapshot)
        {
            _snapshot = snapshot with { LoadedAt = DateTimeOffset.MinValue };
        }
    }

    public void Dispose() => _refreshing.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Question bank loaded: {Count} active questions")]
    private partial void LogLoaded(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Question bank refresh failed; serving the previous copy")]
    private partial void LogRefreshFailed(Exception exception);

    private sealed record Snapshot(ImmutableDictionary<Level, ImmutableArray<Question>> ByLevel, DateTimeOffset LoadedAt);
}
