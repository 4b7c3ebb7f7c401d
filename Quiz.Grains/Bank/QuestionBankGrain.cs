using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Quiz.Generation;
using Quiz.Rules;

namespace Quiz.Bank;

/// <summary>
/// Serves questions from the silo-local <see cref="QuestionCatalog"/>. A stateless worker: calls are served by
/// activations on the caller's own silo, so the bank is never one activation that every learner waits on.
/// </summary>
[StatelessWorker]
public sealed class QuestionBankGrain : Grain, IQuestionBankGrain
{
    private readonly QuestionCatalog _catalog;
    private readonly BankRefiller _refiller;
    private readonly int _generateWhenUnaskedBelow;
    private readonly QuizMetrics _metrics;

    public QuestionBankGrain(QuestionCatalog catalog, BankRefiller refiller, IOptions<QuestionBankOptions> options, QuizMetrics metrics)
    {
        _metrics = metrics;
        _catalog = catalog;
        _refiller = refiller;
        _generateWhenUnaskedBelow = options.Value.GenerateWhenUnaskedBelow;
    }

    public async Task<QuestionChoice?> ChooseAsync(QuestionRequest request)
    {
        var byLevel = await _catalog.GetAsync(CancellationToken.None);
        var atLevel = byLevel.TryGetValue(request.Level, out var questions) ? questions : [];
        var topics = request.Topics.ToDictionary(t => t.Topic);
        var choice = QuestionSelector.Choose(atLevel, request.Asked, topics, Random.Shared, request.TopicsOff.IsDefault ? null : request.TopicsOff);
        var unaskedLeft = atLevel.Count(q => !request.Asked.ContainsKey(q.Id)) - (choice is { IsRepeat: false } ? 1 : 0);
        _metrics.UnaskedLeft(request.Level, unaskedLeft);
        if (unaskedLeft < _generateWhenUnaskedBelow)
        {
            // Ask for more in the background: the topic the learner has seen least among those at this level.
            var topic = Topics.All.MinBy(t => topics.TryGetValue(t, out var s) ? s.Asked : 0)!;
            _refiller.RequestRefill(choice?.Question.Topic is { } chosen && unaskedLeft > 0 ? chosen : topic, request.Level);
        }

        return choice;
    }

    public async Task<ImmutableDictionary<string, int>> CountQuestionsAsync()
    {
        var byLevel = await _catalog.GetAsync(CancellationToken.None);
        return byLevel.Values.SelectMany(q => q)
            .GroupBy(q => $"{q.Topic}/{q.Level}")
            .ToImmutableDictionary(g => g.Key, g => g.Count());
    }
}
