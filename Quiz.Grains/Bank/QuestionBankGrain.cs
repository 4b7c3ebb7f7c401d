using System.Collections.Immutable;
using Orleans.Concurrency;
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

    public QuestionBankGrain(QuestionCatalog catalog)
    {
        _catalog = catalog;
    }

    public async Task<QuestionChoice?> ChooseAsync(QuestionRequest request)
    {
        var byLevel = await _catalog.GetAsync(CancellationToken.None);
        var atLevel = byLevel.TryGetValue(request.Level, out var questions) ? questions : [];
        var topics = request.Topics.ToDictionary(t => t.Topic);
        return QuestionSelector.Choose(atLevel, request.Asked, topics, Random.Shared);
    }

    public async Task<ImmutableDictionary<string, int>> CountQuestionsAsync()
    {
        var byLevel = await _catalog.GetAsync(CancellationToken.None);
        return byLevel.Values.SelectMany(q => q)
            .GroupBy(q => $"{q.Topic}/{q.Level}")
            .ToImmutableDictionary(g => g.Key, g => g.Count());
    }
}
