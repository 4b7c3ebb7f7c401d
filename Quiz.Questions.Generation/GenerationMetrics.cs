using System.Diagnostics.Metrics;

namespace Quiz.Generation;

/// <summary>Question generation's instrument, on the product's <c>Quiz</c> meter.</summary>
public sealed class GenerationMetrics
{
    /// <summary>The product's meter, shared with the grains' instruments.</summary>
    public const string MeterName = "Quiz";

    private readonly Counter<long> _generated;

    public GenerationMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _generated = meterFactory.Create(MeterName)
            .CreateCounter<long>("quiz.questions.generated", description: "Question generation attempts, by outcome (ok, timeout, rate-limited, duplicate...)");
    }

    public void Generation(string outcome) => _generated.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
