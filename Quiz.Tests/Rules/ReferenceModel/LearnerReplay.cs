using System.Collections.Immutable;
using Quiz.Learners;

namespace Quiz.Tests.Rules.ReferenceModel;

/// <summary>
/// Plays a <see cref="LearnerScenario"/> against <see cref="Learner"/>, calling it exactly as <c>UserGrain</c> does at
/// each entry point (the same methods in the same order), and against <see cref="LearnerModel"/>; after every step it
/// compares everything a learner can see: the answer's outcome, what was delivered, /stats, and the progress events.
/// </summary>
internal sealed class LearnerReplay
{
    private static readonly string[] Topics = ["Streaming", "Orchestration", "Data Modeling"];

    private readonly LearnerScenario _scenario;
    private readonly Learner _learner = new(new LearnerState());
    private readonly LearnerModel _model = new();
    private readonly List<object> _updates = [];
    private DateTimeOffset _now;
    private long _nextUpdateId = 1000;
    private readonly Dictionary<string, Question> _issued = [];
    private int _nextQuestion;

    private LearnerReplay(LearnerScenario scenario)
    {
        _scenario = scenario;
        _now = scenario.Start;
    }

    /// <summary>How often each rule fired across the lives played, so that a test can tell the lives explore them.</summary>
    public static ReplayTally Tally { get; } = new();

    public static void Run(LearnerScenario scenario) => new LearnerReplay(scenario).Run();

    private void Run()
    {
        var zone = Zone(_scenario.StartZoneIndex);
        _learner.TrySetSchedule(_scenario.StartTime, zone.Id, _now);
        _model.SetSchedule(_scenario.StartTime, zone, _now);
        Subscribe(NewUpdateId());
        Compare("start");

        for (var i = 0; i < _scenario.Steps.Length; i++)
        {
            var step = _scenario.Steps[i];
            _now += step.Advance;
            var eventsBefore = (_learner.State.EventSequence, _model.Events.Count);
            Apply(step);
            Compare($"step {i} ({step})");
            CompareEvents(eventsBefore, $"step {i} ({step})");
        }
    }

    private void Apply(Step step)
    {
        switch (step.Kind)
        {
            case StepKind.Tick:
                Tick();
                break;
            case StepKind.Answer when _model.Tappable.Count > 0:
                // Mostly the newest question (the one a learner taps), sometimes any older one.
                var (question, date) = _model.Tappable[step.Pick < 6 ? 0 : step.Pick % _model.Tappable.Count];
                var choice = step.Correct ? question.CorrectIndex : (question.CorrectIndex + 1 + step.Pick) % 4;
                Answer(new AnswerSubmission(NewUpdateId(), question.Id, date, choice));
                break;
            case StepKind.RedeliverUpdate when _updates.Count > 0:
                Redeliver(_updates[^(1 + (step.Pick % Math.Min(5, _updates.Count)))]);
                break;
            case StepKind.ForgedAnswer:
                Answer(new AnswerSubmission(NewUpdateId(), $"forged-{step.Pick}", _model.DateOf(_now).AddDays(-(step.Pick % 3)), step.Pick % 5));
                break;
            case StepKind.Start:
                Subscribe(NewUpdateId());
                break;
            case StepKind.Stop:
                Unsubscribe(NewUpdateId());
                break;
            case StepKind.Block:
                _learner.MarkUnreachable();
                _model.Block();
                break;
            case StepKind.SetSchedule:
                var zone = Zone(step.ZoneIndex);
                if (_model.DateOf(_now) != DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_now, zone).DateTime))
                {
                    Tally.Count("zone change across midnight");
                }

                Assert.True(_learner.TrySetSchedule(step.Time, zone.Id, _now));
                _model.SetSchedule(step.Time, zone, _now);
                break;
            case StepKind.SendAccepted when _model.UnseenDates.Count > 0:
                var accepted = _model.UnseenDates[step.Pick % _model.UnseenDates.Count];
                _learner.ConfirmDelivery(accepted, _now, messageId: step.Pick + 1);
                _model.Confirm(accepted);
                break;
            case StepKind.SendFailed when _model.UnseenDates.Count > 0:
                var failed = _model.UnseenDates[step.Pick % _model.UnseenDates.Count];
                _learner.CancelDelivery(failed);
                _model.Cancel(failed);
                break;
            case StepKind.SweepOutbox:
                // UserGrain.ResumeOutboxAsync: a question whose day ended before it went out is forgotten.
                _learner.ForgetUnsent(day => _learner.HasEnded(day, _now));
                _model.ForgetUnseenEnded(_now);
                break;
            case StepKind.DevotedDay:
                _now = _model.NextDelivery(_now).AddMinutes(1 + step.Pick);
                Tick();
                var today = _model.DateOf(_now);
                if (_model.UnseenDates.Contains(today))
                {
                    _learner.ConfirmDelivery(today, _now, messageId: step.Pick + 1);
                    _model.Confirm(today);
                }

                if (_model.Tappable is [var (newest, newestDate), ..] && newestDate == today)
                {
                    Answer(new AnswerSubmission(NewUpdateId(), newest.Id, today, step.Correct ? newest.CorrectIndex : (newest.CorrectIndex + 1) % 4));
                }

                break;
            case StepKind.Stats:
                // UserGrain.GetStatsAsync settles before it reports.
                _learner.SettleEndedDays(_now);
                _model.Settle(_now);
                break;
        }
    }

    /// <summary>UserGrain.DeliverAsync: settle, then deliver today's question if it is due.</summary>
    private void Tick()
    {
        _learner.SettleEndedDays(_now);
        _model.Settle(_now);
        Deliver(evenBeforeDeliveryTime: false);
    }

    /// <summary>UserGrain.SubscribeAsync.</summary>
    private void Subscribe(long updateId)
    {
        _updates.Add(new Subscription(42, "en", updateId));
        var modelHandles = _model.Subscribe(updateId, _now);
        if (_learner.HasSeen(updateId))
        {
            Assert.False(modelHandles, $"the learner took update {updateId} for a redelivery, the model did not");
            return;
        }

        Assert.True(modelHandles, $"the model took update {updateId} for a redelivery, the learner did not");
        _learner.Subscribe(42, new Subscription(42, "en", updateId));
        _learner.SettleEndedDays(_now);
        _learner.Remember(updateId);
        Deliver(evenBeforeDeliveryTime: true);
    }

    /// <summary>UserGrain.UnsubscribeAsync.</summary>
    private void Unsubscribe(long updateId)
    {
        _updates.Add(-updateId);
        _model.Unsubscribe(updateId);
        if (_learner.HasSeen(updateId))
        {
            return;
        }

        _learner.Unsubscribe();
        _learner.Remember(updateId);
    }

    private void Redeliver(object update)
    {
        switch (update)
        {
            case Subscription subscription:
                Subscribe(subscription.UpdateId);
                break;
            case long stop:
                Unsubscribe(-stop);
                break;
            case AnswerSubmission answer:
                Answer(answer);
                break;
        }
    }

    /// <summary>UserGrain.PrepareDeliveryAsync, with a bank that has nothing at the scenario's exhausted level.</summary>
    private void Deliver(bool evenBeforeDeliveryTime)
    {
        var reason = _learner.WhyNotDeliver(_now, evenBeforeDeliveryTime);
        Assert.True(reason == _model.WhyNotDeliver(_now, evenBeforeDeliveryTime), Mismatch("delivery decision", _model.WhyNotDeliver(_now, evenBeforeDeliveryTime), reason));
        if (reason is not null || _learner.State.Level == _scenario.ExhaustedLevel)
        {
            Tally.Count(reason?.ToString() ?? "no question at the level");
            return;
        }

        var review = _learner.DueReview(_learner.Today(_now));
        var modelReview = _model.DueReview(_now);
        Assert.True(review?.Question.Id == modelReview, Mismatch("review due", modelReview, review?.Question.Id));
        if (review is not null)
        {
            Tally.Count("review delivered");
            Assert.True(review.MissedOn == _model.MissedOn(review.Question.Id), Mismatch("review's missed day", _model.MissedOn(review.Question.Id), review.MissedOn));
            _learner.RecordDelivery(_issued[review.Question.Id], _learner.Today(_now), _now, messageId: null, reviewOf: review.MissedOn);
            _model.Record(_issued[review.Question.Id], _now, isReview: true);
            return;
        }

        Tally.Count("delivered");

        var index = _nextQuestion++;
        var question = new Question($"q{index}", Topics[index % Topics.Length], _learner.State.Level, $"Question {index}?", ["a", "b", "c", "d"], index % 4, "Because.", null);
        _issued[question.Id] = question;
        _learner.RecordDelivery(question, _learner.Today(_now), _now, messageId: null);
        _model.Record(question, _now);
    }

    /// <summary>UserGrain.AnswerAsync.</summary>
    private void Answer(AnswerSubmission answer)
    {
        if (!_updates.Contains(answer))
        {
            _updates.Add(answer);
        }

        var outcome = _learner.Answer(answer, _now);
        var expected = _model.Answer(answer.UpdateId, answer.QuestionId, answer.Day, answer.Choice, _now);
        var actual = (outcome.Status, outcome.Status is AnswerStatus.Duplicate or AnswerStatus.NotOpen ? false : outcome.IsCorrect, outcome.LevelChange);
        Tally.Count(outcome.Status.ToString());
        if (outcome is { ReviewOf: not null, Status: AnswerStatus.Counted or AnswerStatus.Late })
        {
            Tally.Count(outcome.NextReview is null ? "review learned" : "review answered");
        }
        Tally.Count(outcome.LevelChange.ToString());
        Assert.True(expected == actual, Mismatch($"answer {answer}", expected, actual));
        Assert.True(outcome.NextDelivery == _model.NextDelivery(_now), Mismatch("answer's next delivery", _model.NextDelivery(_now), outcome.NextDelivery));
        Assert.True((outcome.Streak, outcome.Level) == (_model.Streak, _model.Level), Mismatch("answer's streak and level", (_model.Streak, _model.Level), (outcome.Streak, outcome.Level)));
    }

    private void Compare(string when)
    {
        var expected = _model.Stats(_now);
        var actual = _learner.Stats(_now);
        Assert.True(
            expected with { Topics = [] } == actual with { Topics = [] } && expected.Topics.SequenceEqual(actual.Topics),
            Mismatch($"{when}: stats", Show(expected), Show(actual)));
    }

    private void CompareEvents((long Learner, int Model) before, string when)
    {
        var actual = _learner.State.RecentEvents.Where(e => e.Sequence > before.Learner).Select(e => (e.Kind, e.Cause)).ToList();
        var expected = _model.Events.Skip(before.Model).ToList();
        foreach (var (kind, cause) in expected)
        {
            Tally.Count($"{kind} ({cause})");
        }

        Assert.True(expected.SequenceEqual(actual), Mismatch($"{when}: progress events", string.Join(", ", expected), string.Join(", ", actual)));
    }

    private string Mismatch(string what, object? expected, object? actual) =>
        $"{what} at {_now:u}: the rules say {expected}, the learner has {actual}\nscenario: {_scenario}";

    private static string Show(LearnerStats stats) =>
        (stats with { Topics = ImmutableArray<TopicStats>.Empty }) + " topics " + string.Join(", ", stats.Topics);

    private static TimeZoneInfo Zone(int index) =>
        TimeZoneInfo.FindSystemTimeZoneById(LearnerScenario.Zones[index % LearnerScenario.Zones.Length]);

    private long NewUpdateId() => ++_nextUpdateId;
}
