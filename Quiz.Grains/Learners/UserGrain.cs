using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quiz.Sending;

namespace Quiz.Learners;

/// <summary>
/// One learner. Orchestrates: applies <see cref="Learner"/>'s rules, persists before anything is reported,
/// sends through <see cref="IQuestionSender"/>, and keeps one daily reminder aligned to the learner's local delivery time.
/// </summary>
[GrainType("user")]
public sealed partial class UserGrain : Grain, IUserGrain, IRemindable
{
    public const string DailyReminder = "daily-question";

    /// <summary>A reminder tick this far off the wanted delivery instant is moved (daylight saving, late tick, new schedule).</summary>
    private static readonly TimeSpan ReminderTolerance = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly IPersistentState<LearnerState> _state;
    private readonly IQuestionSender _sender;
    private readonly TimeProvider _time;
    private readonly QuizMetrics _metrics;
    private readonly ILogger<UserGrain> _logger;
    private readonly TimeSpan _retryAfterFailedSend;
    private Learner _learner;
    private long _reportedEventSequence;

    public UserGrain(
        [PersistentState(StorageNames.LearnerState, StorageNames.Learners)] IPersistentState<LearnerState> state,
        IQuestionSender sender,
        TimeProvider time,
        QuizMetrics metrics,
        IOptions<DeliveryOptions> options,
        ILogger<UserGrain> logger)
    {
        _retryAfterFailedSend = options.Value.RetryAfterFailedSend;
        _state = state;
        _sender = sender;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _learner = new Learner(state.State);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _learner = new Learner(_state.State);
        _reportedEventSequence = _state.State.EventSequence;
        return Task.CompletedTask;
    }

    public async Task<SubscribeResult> SubscribeAsync(Subscription subscription)
    {
        var now = _time.GetUtcNow();
        var wasActive = _learner.State.IsActive;
        var isNew = _learner.Subscribe(this.GetPrimaryKeyLong(), subscription);
        _learner.SettleDaysBefore(now);
        await WriteAsync();

        var delivery = await DeliverAsync(now, evenBeforeDeliveryTime: true);
        await ScheduleReminderAsync(delivery.Status == DeliveryStatus.Failed);
        return new SubscribeResult(isNew, wasActive, delivery, _learner.NextDelivery(_time.GetUtcNow()));
    }

    public async Task UnsubscribeAsync()
    {
        _learner.Unsubscribe();
        await WriteAsync();
        await RemoveReminderAsync();
    }

    public async Task DeactivateAsync()
    {
        _learner.MarkUnreachable();
        await WriteAsync();
        await RemoveReminderAsync();
    }

    public async Task<AnswerOutcome> AnswerAsync(AnswerSubmission answer)
    {
        var outcome = _learner.Answer(answer, _time.GetUtcNow());
        if (outcome.Status is AnswerStatus.Counted or AnswerStatus.Late)
        {
            await WriteAsync();
            _metrics.Answer(outcome.Status == AnswerStatus.Late ? "late" : outcome.IsCorrect ? "correct" : "wrong");
        }
        else
        {
            _metrics.Answer(outcome.Status.ToString().ToLowerInvariant());
        }

        return outcome;
    }

    public async Task<LearnerStats> GetStatsAsync()
    {
        var now = _time.GetUtcNow();
        if (_learner.SettleDaysBefore(now))
        {
            await WriteAsync();
        }

        return _learner.Stats(now);
    }

    public async Task<ScheduleChange> SetScheduleAsync(TimeOnly deliveryTime, string timeZoneId)
    {
        if (!_learner.TrySetSchedule(deliveryTime, timeZoneId))
        {
            throw new ArgumentException($"Unknown time zone '{timeZoneId}'. Use an IANA name such as Europe/Berlin.", nameof(timeZoneId));
        }

        await WriteAsync();
        if (_learner.State.IsActive)
        {
            await ScheduleReminderAsync(afterFailedSend: false);
        }

        return new ScheduleChange(_learner.State.DeliveryTime, _learner.State.TimeZoneId, _learner.NextDelivery(_time.GetUtcNow()));
    }

    public Task<DeliveryResult> DeliverDueQuestionAsync() => DeliverAsync(_time.GetUtcNow(), evenBeforeDeliveryTime: false);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DailyReminder)
        {
            return;
        }

        if (!_learner.State.IsActive)
        {
            await RemoveReminderAsync();
            return;
        }

        var delivery = await DeliverAsync(_time.GetUtcNow(), evenBeforeDeliveryTime: false);
        var now = _time.GetUtcNow();
        var wanted = delivery.Status == DeliveryStatus.Failed ? now + _retryAfterFailedSend : _learner.NextDelivery(now);
        var scheduled = now + status.Period;
        if ((wanted - scheduled).Duration() > ReminderTolerance)
        {
            await RegisterReminderAsync(wanted - now);
        }
    }

    private async Task<DeliveryResult> DeliverAsync(DateTimeOffset now, bool evenBeforeDeliveryTime)
    {
        var today = _learner.Today(now);
        var settled = _learner.SettleDaysBefore(now);
        if (_learner.WhyNotDeliver(now, evenBeforeDeliveryTime) is { } reason)
        {
            if (settled)
            {
                await WriteAsync();
            }

            return new DeliveryResult(reason, null, today);
        }

        var choice = await GrainFactory.GetGrain<IQuestionBankGrain>(0).ChooseAsync(_learner.QuestionRequest());
        if (choice is null)
        {
            LogNoQuestion(this.GetPrimaryKeyLong(), _learner.State.Level);
            return new DeliveryResult(DeliveryStatus.NoQuestion, null, today);
        }

        if (choice.IsRepeat)
        {
            _metrics.RepeatedQuestion();
            LogRepeat(this.GetPrimaryKeyLong(), _learner.State.Level, choice.Question.Id);
        }

        var sent = await _sender.SendQuestionAsync(_learner.State.ChatId, choice.Question, today, CancellationToken.None);
        switch (sent.Status)
        {
            case SendStatus.Sent:
                _learner.RecordDelivery(choice.Question, today, now, sent.MessageId);
                await WriteAsync();
                _metrics.QuestionSent();
                return new DeliveryResult(DeliveryStatus.Sent, choice.Question.Id, today);
            case SendStatus.Unreachable:
                _learner.MarkUnreachable();
                await WriteAsync();
                await RemoveReminderAsync();
                return new DeliveryResult(DeliveryStatus.Inactive, null, today);
            default:
                if (settled)
                {
                    await WriteAsync();
                }

                return new DeliveryResult(DeliveryStatus.Failed, null, today);
        }
    }

    private async Task WriteAsync()
    {
        await _state.WriteStateAsync();
        foreach (var progress in _learner.State.RecentEvents.Where(e => e.Sequence > _reportedEventSequence))
        {
            if (progress.Kind == ProgressEvents.StreakReset)
            {
                _metrics.StreakReset(progress.Cause);
            }
            else
            {
                _metrics.LevelChanged(progress.Kind == ProgressEvents.Promoted ? LevelChange.Promoted : LevelChange.Demoted);
            }
        }

        _reportedEventSequence = _learner.State.EventSequence;
    }

    private Task ScheduleReminderAsync(bool afterFailedSend)
    {
        var now = _time.GetUtcNow();
        var due = afterFailedSend ? _retryAfterFailedSend : _learner.NextDelivery(now) - now;
        return RegisterReminderAsync(due);
    }

    private Task<IGrainReminder> RegisterReminderAsync(TimeSpan due) =>
        this.RegisterOrUpdateReminder(DailyReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, Day);

    private async Task RemoveReminderAsync()
    {
        var reminder = await this.GetReminder(DailyReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Learner {LearnerId}: the bank has no question at level {Level}")]
    private partial void LogNoQuestion(long learnerId, Level level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId} has been asked every {Level} question; repeating {QuestionId}")]
    private partial void LogRepeat(long learnerId, Level level, string questionId);
}
