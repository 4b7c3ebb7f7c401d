using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quiz.Bank;
using Quiz.Conversation;
using Quiz.Sending;

namespace Quiz.Learners;

/// <summary>
/// One learner. Orchestrates: applies <see cref="Learner"/>'s rules, persists before anything is reported,
/// talks through <see cref="ILearnerMessenger"/>, and keeps one daily reminder on the learner's local delivery time.
/// </summary>
[GrainType("user")]
public sealed partial class UserGrain : Grain, IUserGrain, IRemindable
{
    public const string DailyReminder = "daily-question";

    /// <summary>A reminder tick this far off the wanted delivery instant is moved (daylight saving, late tick, new schedule).</summary>
    private static readonly TimeSpan ReminderTolerance = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly IPersistentState<LearnerState> _state;
    private readonly ILearnerMessenger _messenger;
    private readonly IQuestionReports _reports;
    private readonly TimeProvider _time;
    private readonly QuizMetrics _metrics;
    private readonly ILogger<UserGrain> _logger;
    private readonly TimeSpan _retryAfterFailedSend;
    private Learner _learner;
    private long _reportedEventSequence;

    public UserGrain(
        [PersistentState(StorageNames.LearnerState, StorageNames.Learners)] IPersistentState<LearnerState> state,
        ILearnerMessenger messenger,
        IQuestionReports reports,
        TimeProvider time,
        QuizMetrics metrics,
        IOptions<DeliveryOptions> options,
        ILogger<UserGrain> logger)
    {
        _state = state;
        _messenger = messenger;
        _reports = reports;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _retryAfterFailedSend = options.Value.RetryAfterFailedSend;
        _learner = new Learner(state.State);
    }

    private long LearnerId => this.GetPrimaryKeyLong();

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
        if (_learner.HasSeen(subscription.UpdateId))
        {
            return new SubscribeResult(false, wasActive, new DeliveryResult(DeliveryStatus.AlreadySent, null, _learner.Today(now)), _learner.NextDelivery(now));
        }

        var isNew = _learner.Subscribe(LearnerId, subscription);
        _learner.SettleDaysBefore(now);
        _learner.Remember(subscription.UpdateId);
        await WriteAsync();

        var questionFollows = _learner.WhyNotDeliver(now, evenBeforeDeliveryTime: true) is null;
        await _messenger.SendTextAsync(_learner.State.ChatId, Texts.Welcome(isNew, questionFollows), CancellationToken.None);
        var delivery = await DeliverAsync(now, evenBeforeDeliveryTime: true, MessageLane.Reply);
        if (delivery.Status == DeliveryStatus.NoQuestion)
        {
            await _messenger.SendTextAsync(_learner.State.ChatId, Texts.NoQuestionToday, CancellationToken.None);
        }

        if (_learner.State.IsActive)
        {
            await ScheduleReminderAsync(delivery.Status is DeliveryStatus.Failed or DeliveryStatus.NoQuestion);
        }

        return new SubscribeResult(isNew, wasActive, delivery, _learner.NextDelivery(_time.GetUtcNow()));
    }

    public async Task UnsubscribeAsync(long updateId = 0)
    {
        if (_learner.HasSeen(updateId))
        {
            return;
        }

        _learner.Unsubscribe();
        _learner.Remember(updateId);
        await WriteAsync();
        await RemoveReminderAsync();
        await _messenger.SendTextAsync(_learner.State.ChatId, Texts.Goodbye, CancellationToken.None);
    }

    public async Task DeactivateAsync()
    {
        if (!_learner.State.IsReachable)
        {
            return;
        }

        _learner.MarkUnreachable();
        await WriteAsync();
        await RemoveReminderAsync();
        LogDeactivated(LearnerId);
    }

    public async Task<AnswerOutcome> AnswerAsync(AnswerSubmission answer)
    {
        var outcome = _learner.Answer(answer, _time.GetUtcNow());
        var counts = outcome.Status is AnswerStatus.Counted or AnswerStatus.Late;
        if (counts)
        {
            await WriteAsync();
        }

        _metrics.Answer(outcome.Status switch
        {
            AnswerStatus.Late => "late",
            AnswerStatus.Counted => outcome.IsCorrect ? "correct" : "wrong",
            AnswerStatus.AlreadyAnswered => "already-answered",
            AnswerStatus.NotOpen => "not-open",
            _ => "duplicate",
        });

        // The answer is durable; what follows only tells the learner. A failure here is logged, not undone.
        if (answer.CallbackQueryId is { } callbackQueryId)
        {
            await _messenger.AnswerTapAsync(callbackQueryId, Texts.Toast(outcome), CancellationToken.None);
        }

        if (counts)
        {
            var open = _learner.State.OpenQuestions.First(q => q.Question.Id == answer.QuestionId && q.Day == answer.Day);
            if (open.MessageId is { } messageId)
            {
                await _messenger.EditAnsweredQuestionAsync(_learner.State.ChatId, messageId, open.Question, answer.Choice, CancellationToken.None);
            }

            await SendReplyAsync(Texts.Feedback(outcome, _learner.State.TimeZoneId));
        }

        return outcome;
    }

    public async Task<bool> ReportQuestionAsync(QuestionReport report)
    {
        var questionId = report.QuestionId
            ?? _learner.State.OpenQuestions.OrderByDescending(q => q.Day).FirstOrDefault()?.Question.Id;
        var wasAsked = questionId is not null && _learner.State.Asked.ContainsKey(questionId);
        if (wasAsked)
        {
            await _reports.ReportAsync(LearnerId, questionId!, report.Note, _time.GetUtcNow(), CancellationToken.None);
        }

        var reply = wasAsked ? Texts.ReportThanks : Texts.NothingToReport;
        if (report.CallbackQueryId is { } callbackQueryId)
        {
            await _messenger.AnswerTapAsync(callbackQueryId, reply, CancellationToken.None);
        }
        else
        {
            await SendReplyAsync(reply);
        }

        return wasAsked;
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

    public async Task<LearnerStats> ShowStatsAsync()
    {
        var stats = await GetStatsAsync();
        await SendReplyAsync(Texts.Stats(stats));
        return stats;
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

        var change = new ScheduleChange(_learner.State.DeliveryTime, _learner.State.TimeZoneId, _learner.NextDelivery(_time.GetUtcNow()));
        if (_learner.State.ChatId != 0)
        {
            await SendReplyAsync(Texts.ScheduleSet(change));
        }

        return change;
    }

    public Task<DeliveryResult> DeliverDueQuestionAsync() => DeliverAsync(_time.GetUtcNow(), evenBeforeDeliveryTime: false, MessageLane.Daily);

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

        var delivery = await DeliverAsync(_time.GetUtcNow(), evenBeforeDeliveryTime: false, MessageLane.Daily);
        if (!_learner.State.IsActive)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var wanted = delivery.Status is DeliveryStatus.Failed or DeliveryStatus.NoQuestion ? now + RetryDelay() : _learner.NextDelivery(now);
        var scheduled = now + status.Period;
        if ((wanted - scheduled).Duration() > ReminderTolerance)
        {
            await RegisterReminderAsync(wanted - now);
        }
    }

    private async Task<DeliveryResult> DeliverAsync(DateTimeOffset now, bool evenBeforeDeliveryTime, MessageLane lane)
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
            LogNoQuestion(LearnerId, _learner.State.Level);
            return new DeliveryResult(DeliveryStatus.NoQuestion, null, today);
        }

        if (choice.IsRepeat)
        {
            _metrics.RepeatedQuestion();
            LogRepeat(LearnerId, _learner.State.Level, choice.Question.Id);
        }

        var sent = await _messenger.SendQuestionAsync(_learner.State.ChatId, choice.Question, today, lane, CancellationToken.None);
        switch (sent.Status)
        {
            case SendStatus.Sent:
                _learner.RecordDelivery(choice.Question, today, now, sent.MessageId);
                await WriteAsync();
                _metrics.QuestionSent();
                if (lane == MessageLane.Daily)
                {
                    _metrics.DeliveryLag(_time.GetUtcNow() - _learner.Calendar.DeliveryInstant(today));
                }

                return new DeliveryResult(DeliveryStatus.Sent, choice.Question.Id, today);
            case SendStatus.Unreachable:
                await MarkUnreachableAsync();
                return new DeliveryResult(DeliveryStatus.Inactive, null, today);
            default:
                if (settled)
                {
                    await WriteAsync();
                }

                return new DeliveryResult(DeliveryStatus.Failed, null, today);
        }
    }

    private async Task SendReplyAsync(string html)
    {
        var sent = await _messenger.SendTextAsync(_learner.State.ChatId, html, CancellationToken.None);
        if (sent.Status == SendStatus.Unreachable)
        {
            await MarkUnreachableAsync();
        }
    }

    private async Task MarkUnreachableAsync()
    {
        _learner.MarkUnreachable();
        await WriteAsync();
        await RemoveReminderAsync();
        LogDeactivated(LearnerId);
    }

    private async Task WriteAsync()
    {
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            // The rules already changed the state in memory; drop this activation so the next call starts
            // from what is stored, and the caller's retry (Telegram redelivers on 5xx) is taken afresh.
            DeactivateOnIdle();
            throw;
        }

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
        var due = afterFailedSend ? RetryDelay() : _learner.NextDelivery(now) - now;
        return RegisterReminderAsync(due);
    }

    /// <summary>
    /// When the learners of one delivery time all find the sending queue full together, retrying them all after the
    /// same delay would fail them together again. Spreading each retry over the tenth-to-whole of the delay feeds the
    /// pacer steadily instead (benchmark in docs/benchmarks.md).
    /// </summary>
    private TimeSpan RetryDelay() => _retryAfterFailedSend * (0.1 + (0.9 * Random.Shared.NextDouble()));

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Learner {LearnerId} blocked the bot: marked inactive, reminder removed")]
    private partial void LogDeactivated(long learnerId);
}
