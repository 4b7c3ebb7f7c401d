using System.Diagnostics.Metrics;

namespace Quiz.Generation;

/// <summary>Question generation's instrument, on the product's <c>Quiz</c> meter.</summary>
public sealed class GenerationMetrics
{
    /// <summary>The product's meter, shared with the grains' instruments.</summary>
    public const string MeterName = "Quiz";

    private readonly Counter<long> _generated;
    private readonly Meter _meter;

    public GenerationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _generated = _meter.CreateCounter<long>("quiz.questions.generated", description: "Question generation attempts, by outcome (ok, timeout, rate-limited, duplicate...)");
    }

    public void Generation(string outcome) => _generated.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Reports the calls to the model this process may still make today; called once by the generator.</summary>
    public void ObserveBudget(Func<int> remainingToday) =>
        _meter.CreateObservableGauge("quiz.questions.generation.budget", remainingToday, unit: "{call}", description: "Calls to the model this silo may still make today (OpenAI:DailyBudget less the calls made)");
}
