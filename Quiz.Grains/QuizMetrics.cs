using System.Diagnostics.Metrics;

namespace Quiz;

/// <summary>The product's own <c>Quiz</c> meter: what learners receive and how they answer.</summary>
public sealed class QuizMetrics
{
    public const string MeterName = "Quiz";

    private readonly Counter<long> _questionsSent;
    private readonly Counter<long> _answers;
    private readonly Counter<long> _levelChanges;
    private readonly Counter<long> _streakResets;
    private readonly Counter<long> _repeatedQuestions;
    private readonly Counter<long> _sends;
    private readonly Histogram<double> _deliveryLag;
    private readonly Counter<long> _generated;

    public QuizMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _questionsSent = meter.CreateCounter<long>("quiz.questions.sent", description: "Daily questions accepted by Telegram");
        _answers = meter.CreateCounter<long>("quiz.answers", description: "Answers taken, by result");
        _levelChanges = meter.CreateCounter<long>("quiz.level.changes", description: "Promotions and demotions");
        _streakResets = meter.CreateCounter<long>("quiz.streak.resets", description: "Streaks set back to zero, by cause");
        _repeatedQuestions = meter.CreateCounter<long>("quiz.questions.repeated", description: "Questions sent again because the learner's level was exhausted");
        _sends = meter.CreateCounter<long>("quiz.telegram.sends", description: "Bot API calls, by outcome (ok, 429, 403, error)");
        _generated = meter.CreateCounter<long>("quiz.questions.generated", description: "Question generation attempts, by outcome (ok, timeout, rate-limited, duplicate...)");
        _deliveryLag = meter.CreateHistogram<double>("quiz.delivery.lag", unit: "s", description: "How long after the learner's delivery time the daily question went out");
    }

    public void QuestionSent() => _questionsSent.Add(1);

    public void Answer(string result) => _answers.Add(1, new KeyValuePair<string, object?>("result", result));

    public void LevelChanged(LevelChange change) =>
        _levelChanges.Add(1, new KeyValuePair<string, object?>("direction", change == LevelChange.Promoted ? "promoted" : "demoted"));

    public void StreakReset(string cause) => _streakResets.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void RepeatedQuestion() => _repeatedQuestions.Add(1);

    public void Send(string outcome) => _sends.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Generation(string outcome) => _generated.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void DeliveryLag(TimeSpan lag) => _deliveryLag.Record(Math.Max(0, lag.TotalSeconds));
}
