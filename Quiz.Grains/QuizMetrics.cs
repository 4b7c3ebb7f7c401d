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

    public QuizMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _questionsSent = meter.CreateCounter<long>("quiz.questions.sent", description: "Daily questions accepted by Telegram");
        _answers = meter.CreateCounter<long>("quiz.answers", description: "Answers taken, by result");
        _levelChanges = meter.CreateCounter<long>("quiz.level.changes", description: "Promotions and demotions");
        _streakResets = meter.CreateCounter<long>("quiz.streak.resets", description: "Streaks set back to zero, by cause");
        _repeatedQuestions = meter.CreateCounter<long>("quiz.questions.repeated", description: "Questions sent again because the learner's level was exhausted");
    }

    public void QuestionSent() => _questionsSent.Add(1);

    public void Answer(string result) => _answers.Add(1, new KeyValuePair<string, object?>("result", result));

    public void LevelChanged(LevelChange change) =>
        _levelChanges.Add(1, new KeyValuePair<string, object?>("direction", change == LevelChange.Promoted ? "promoted" : "demoted"));

    public void StreakReset(string cause) => _streakResets.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void RepeatedQuestion() => _repeatedQuestions.Add(1);
}
