using System.Collections.Concurrent;
using System.Collections.Frozen;
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
    private const int MaxRetiredKept = 10_000;

    private readonly IQuestionSource _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly ILogger<QuestionCatalog> _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly ConcurrentDictionary<string, Question> _retired = new(StringComparer.Ordinal);
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
                _snapshot = new Snapshot(byLevel, questions.DistinctBy(q => q.Id).ToFrozenDictionary(q => q.Id), _time.GetUtcNow());
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

    /// <summary>
    /// A question by id for a learner who was sent it: from the bank as last loaded (an id never changes meaning, so a
    /// copy of any age will do, and no send or answer waits for a refresh), or, once retired, from the source (kept
    /// here after the first read). Null when no source knows it.
    /// </summary>
    public async ValueTask<Question?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (TryGetLoaded(id, out var loaded))
        {
            return loaded;
        }

        await GetAsync(cancellationToken);
        if (TryGetLoaded(id, out loaded))
        {
            return loaded;
        }

        var found = await _source.FindAsync(id, cancellationToken);
        if (found is not null && _retired.Count < MaxRetiredKept)
        {
            _retired[id] = found;
        }

        return found;
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

    private bool TryGetLoaded(string id, out Question? question) =>
        (_snapshot is { } snapshot && snapshot.ById.TryGetValue(id, out question)) || _retired.TryGetValue(id, out question);

    private sealed record Snapshot(ImmutableDictionary<Level, ImmutableArray<Question>> ByLevel, FrozenDictionary<string, Question> ById, DateTimeOffset LoadedAt);
}
