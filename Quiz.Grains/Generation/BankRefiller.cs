using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quiz.Bank;

namespace Quiz.Generation;

/// <summary>
/// Generates questions ahead, in the background, when a topic and level runs low for a learner, so that no learner
/// waits on a model during the daily delivery: they get an unasked question if one is left, or a repeat, today, and the
/// new question serves them and everyone else from the next refresh on. One per silo; requests for a topic and level
/// already queued are merged.
/// </summary>
public sealed partial class BankRefiller : BackgroundService
{
    private readonly QuestionGenerator _generator;
    private readonly IQuestionWriter? _writer;
    private readonly QuestionCatalog _catalog;
    private readonly ILogger<BankRefiller> _logger;
    private readonly Channel<(string Topic, Level Level)> _requests = Channel.CreateUnbounded<(string, Level)>();
    private readonly ConcurrentDictionary<(string Topic, Level Level), byte> _pending = new();

    public BankRefiller(QuestionGenerator generator, QuestionCatalog catalog, ILogger<BankRefiller> logger, IQuestionWriter? writer = null)
    {
        _generator = generator;
        _writer = writer;
        _catalog = catalog;
        _logger = logger;
    }

    /// <summary>Generation needs a model and a database to keep what it makes for everyone.</summary>
    public bool IsEnabled => _generator.IsEnabled && _writer is not null;

    public void RequestRefill(string topic, Level level)
    {
        if (IsEnabled && _pending.TryAdd((topic, level), 0))
        {
            _requests.Writer.TryWrite((topic, level));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (topic, level) in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RefillAsync(topic, level, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefillFailed(exception, topic, level);
            }
            finally
            {
                _pending.TryRemove((topic, level), out _);
            }
        }
    }

    private async Task RefillAsync(string topic, Level level, CancellationToken cancellationToken)
    {
        var byLevel = await _catalog.GetAsync(cancellationToken);
        var bank = byLevel.Values.SelectMany(q => q).Select(ToEntry).ToList();
        var result = await _generator.GenerateAsync(topic, level, bank, cancellationToken);
        if (result.Question is not { } question)
        {
            LogNotGenerated(topic, level, result.Outcome, string.Join("; ", result.Problems));
            return;
        }

        await _writer!.AddGeneratedAsync(question, result.Model, result.PromptVersion, cancellationToken);
        _catalog.Invalidate();
        LogGenerated(question.Id!, topic, level);
    }

    private static QuestionFileEntry ToEntry(Question q) =>
        new(q.Id, q.Topic, q.Level.ToString(), q.Text, q.Options, q.CorrectIndex, q.Explanation, q.Reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated question {QuestionId} for {Topic} / {Level}")]
    private partial void LogGenerated(string questionId, string topic, Level level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No question generated for {Topic} / {Level}: {Outcome} {Problems}")]
    private partial void LogNotGenerated(string topic, Level level, string outcome, string problems);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refilling {Topic} / {Level} failed")]
    private partial void LogRefillFailed(Exception exception, string topic, Level level);
}
