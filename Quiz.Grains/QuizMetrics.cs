using System.Diagnostics.Metrics;
using Quiz.Generation;
using Quiz.Sending;

namespace Quiz;

/// <summary>The product's own <c>Quiz</c> meter: what learners receive and how they answer.</summary>
public sealed class QuizMetrics
{
    public const string MeterName = GenerationMetrics.MeterName;

    private readonly Counter<long> _questionsSent;
    private readonly Counter<long> _answers;
    private readonly Counter<long> _levelChanges;
    private readonly Counter<long> _streakResets;
    private readonly Counter<long> _repeatedQuestions;
    private readonly Counter<long> _sends;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _paidBroadcasts;
    private readonly Counter<long> _broadcastSlots;
    private readonly Counter<double> _stars;
    private readonly Counter<long> _outboxResent;
    private readonly Meter _meter;
    private int _broadcastLimit;
    private readonly Histogram<double> _deliveryLag;
    private readonly Histogram<int> _unaskedLeft;
    private int _overdue;

    public QuizMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _questionsSent = meter.CreateCounter<long>("quiz.questions.sent", description: "Questions accepted by Telegram (daily and at /start)");
        _answers = meter.CreateCounter<long>("quiz.answers", description: "Answers taken, by result");
        _levelChanges = meter.CreateCounter<long>("quiz.level.changes", description: "Promotions and demotions");
        _streakResets = meter.CreateCounter<long>("quiz.streak.resets", description: "Streaks set back to zero, by cause");
        _repeatedQuestions = meter.CreateCounter<long>("quiz.questions.repeated", description: "Questions sent again because the learner's level was exhausted");
        _sends = meter.CreateCounter<long>("quiz.telegram.sends", description: "Bot API calls, by lane (reply, daily) and outcome (ok, 429, 403, rejected, error)");
        _queueWait = meter.CreateHistogram<double>("quiz.telegram.queue.wait", unit: "s", description: "How long a message waited in its lane before Telegram accepted it");
        _paidBroadcasts = meter.CreateCounter<long>("quiz.telegram.paid_broadcasts", description: "Daily questions sent with allow_paid_broadcast");
        _broadcastSlots = meter.CreateCounter<long>("quiz.telegram.broadcast.slots", description: "Broadcast slots leased from the cluster's budget (compare with quiz.telegram.broadcast.limit per second)");
        _stars = meter.CreateCounter<double>("quiz.telegram.paid_broadcast.stars", description: "Telegram Stars the leased paid-broadcast slots cost at most (0.1 per message above 30 a second)");
        _outboxResent = meter.CreateCounter<long>("quiz.outbox.resent", description: "Outbox messages sent again after their learner's grain was reactivated: at most one possible duplicate each");
        meter.CreateObservableGauge("quiz.telegram.broadcast.limit", () => Volatile.Read(ref _broadcastLimit), description: "The cluster's broadcast budget, messages a second (Telegram:BroadcastPerSecond)");
        _deliveryLag = meter.CreateHistogram<double>("quiz.delivery.lag", unit: "s", description: "How long after the learner's delivery time the daily question went out");
        meter.CreateObservableGauge("quiz.delivery.overdue", () => Volatile.Read(ref _overdue), description: "Learners whose daily question the last due sweep found overdue and could not deliver");
        _unaskedLeft = meter.CreateHistogram(
            "quiz.questions.unasked",
            unit: "{question}",
            description: "Questions at the learner's level they had not been asked yet, left after each choice, by level",
            tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 20, 50, 100, 200] });
    }

    public void QuestionSent() => _questionsSent.Add(1);

    public void Answer(string result) => _answers.Add(1, new KeyValuePair<string, object?>("result", result));

    public void LevelChanged(LevelChange change) =>
        _levelChanges.Add(1, new KeyValuePair<string, object?>("direction", change == LevelChange.Promoted ? "promoted" : "demoted"));

    public void StreakReset(string cause) => _streakResets.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void RepeatedQuestion() => _repeatedQuestions.Add(1);

    public void Send(MessageLane lane, SendStatus status) => _sends.Add(
        1,
        new KeyValuePair<string, object?>("lane", LaneName(lane)),
        new KeyValuePair<string, object?>("outcome", status switch
        {
            SendStatus.Sent => "ok",
            SendStatus.RateLimited => "429",
            SendStatus.Unreachable => "403",
            SendStatus.Rejected => "rejected",
            _ => "error",
        }));

    public void QueueWait(MessageLane lane, TimeSpan wait) =>
        _queueWait.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("lane", LaneName(lane)));

    public void PaidBroadcastSent() => _paidBroadcasts.Add(1);

    public void BroadcastLimit(int perSecond) => Volatile.Write(ref _broadcastLimit, perSecond);

    public void BroadcastSlotsGranted(int slots, double stars)
    {
        _broadcastSlots.Add(slots);
        if (stars > 0)
        {
            _stars.Add(stars);
        }
    }

    public void OutboxResent(int messages) => _outboxResent.Add(messages);

    /// <summary>Reports the silo's queue lengths; called once by the silo's dispatcher.</summary>
    public void ObserveQueues(Func<int> daily, Func<int> replies) =>
        _meter.CreateObservableGauge("quiz.telegram.queue.length", () => new[]
        {
            new Measurement<int>(daily(), new KeyValuePair<string, object?>("lane", "daily")),
            new Measurement<int>(replies(), new KeyValuePair<string, object?>("lane", "reply")),
        }, description: "Messages waiting in this silo's lanes");

    /// <summary>Reports how many silos this silo sees active in the cluster; called once by the silo.</summary>
    public void ObserveClusterSize(Func<int> activeSilos) =>
        _meter.CreateObservableGauge("quiz.cluster.silos", activeSilos, description: "Active silos in the cluster's membership, as this silo sees it");

    public void Overdue(int learners) => Volatile.Write(ref _overdue, learners);

    public void UnaskedLeft(Level level, int questions) =>
        _unaskedLeft.Record(Math.Max(0, questions), new KeyValuePair<string, object?>("level", level.ToString()));

    private static string LaneName(MessageLane lane) => lane == MessageLane.Daily ? "daily" : "reply";

    public void DeliveryLag(TimeSpan lag) => _deliveryLag.Record(Math.Max(0, lag.TotalSeconds));
}
