using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quiz.Bank;
using Quiz.Conversation;
using Quiz.Progress;
using Quiz.Rules;
using Quiz.Social;
using Quiz.Sending;

namespace Quiz.Learners;

/// <summary>
/// One learner. Orchestrates: applies <see cref="Learner"/>'s rules, persists before anything is reported,
/// writes what the learner is owed into their outbox with the same write and hands it to the silo's
/// <see cref="IOutboundQueue"/> without waiting, and keeps one daily reminder on the learner's local delivery time.
/// </summary>
[GrainType("user")]
// A learner is busy for minutes a day, around the question and their answer; idle, an activation costs about 5 kB
// and a reactivation one state read (docs/performance.md, "Silo memory").
[CollectionAgeLimit(Minutes = 15)]
public sealed partial class UserGrain : Grain, IUserGrain, IRemindable
{
    public const string DailyReminder = "daily-question";
    public const string NudgeReminder = "evening-nudge";

    /// <summary>A reminder tick this far off the wanted delivery instant is moved (daylight saving, late tick, new schedule).</summary>
    private static readonly TimeSpan ReminderTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// While messages it handed over wait in the silo's queue, the activation stays (a new activation would hand them
    /// over again); the last confirmation lifts this. A day covers a million learners due at once at 25 a second.
    /// </summary>
    private static readonly TimeSpan KeepWhileSending = TimeSpan.FromDays(1);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly IPersistentState<LearnerState> _state;
    private readonly IOutboundQueue _outbound;
    private readonly IQuestionReports _reports;
    private readonly IAnswerHistory _history;
    private readonly ILeaderboard _leaderboard;
    private readonly ILeagueStore _leagues;
    private readonly QuestionCatalog _catalog;
    private readonly FailedTickRetries _retries;
    private readonly TimeProvider _time;
    private readonly QuizMetrics _metrics;
    private readonly ILogger<UserGrain> _logger;
    private readonly TimeSpan _retryAfterFailedSend;
    private readonly HashSet<long> _handedOver = [];
    private Learner _learner;
    private Outbox _outbox;
    private long _reportedEventSequence;
    private bool _hasUnsavedReceipts;

    public UserGrain(
        [PersistentState(StorageNames.LearnerState, StorageNames.Learners)] IPersistentState<LearnerState> state,
        IOutboundQueue outbound,
        IQuestionReports reports,
        IAnswerHistory history,
        ILeaderboard leaderboard,
        ILeagueStore leagues,
        QuestionCatalog catalog,
        FailedTickRetries retries,
        TimeProvider time,
        QuizMetrics metrics,
        IOptions<DeliveryOptions> options,
        ILogger<UserGrain> logger)
    {
        _state = state;
        _outbound = outbound;
        _reports = reports;
        _history = history;
        _leaderboard = leaderboard;
        _leagues = leagues;
        _catalog = catalog;
        _retries = retries;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _retryAfterFailedSend = options.Value.RetryAfterFailedSend;
        _learner = new Learner(state.State);
        _outbox = new Outbox(state.State);
    }

    private long LearnerId => this.GetPrimaryKeyLong();

    private BotTexts Texts => BotTexts.For(_learner.Language);

    /// <summary>The learner's chat; before their first <c>/start</c>, their private chat, whose id is their user id.</summary>
    private long ReplyChatId => _learner.State.ChatId != 0 ? _learner.State.ChatId : LearnerId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _learner = new Learner(_state.State);
        _outbox = new Outbox(_state.State);
        _reportedEventSequence = _state.State.EventSequence;
        // What an earlier activation owed and never saw confirmed (its silo stopped or crashed) goes out now; each may
        // have reached Telegram before the crash, so each is one possible duplicate.
        var resent = HandOver();
        if (resent > 0)
        {
            _metrics.OutboxResent(resent);
            LogResent(LearnerId, resent);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_hasUnsavedReceipts)
        {
            return;
        }

        try
        {
            await _state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // The receipts are lost, not the messages: the next activation sends the unconfirmed ones again.
            LogReceiptsNotSaved(LearnerId, exception);
        }
    }

    public async Task<SubscribeResult> SubscribeAsync(Subscription subscription)
    {
        var now = _time.GetUtcNow();
        var wasActive = _learner.State.IsActive;
        if (_learner.HasSeen(subscription.UpdateId))
        {
            // A redelivery: the first attempt stored its change and may have failed after it (the reminder's write),
            // so finish what it left undone rather than answer "done".
            if (_learner.State.IsActive)
            {
                await ScheduleReminderAsync(afterFailedSend: false);
            }

            HandOver();
            return new SubscribeResult(false, wasActive, new DeliveryResult(DeliveryStatus.AlreadySent, null, _learner.Today(now)), _learner.NextDelivery(now));
        }

        var isNew = _learner.Subscribe(LearnerId, subscription);
        _learner.SettleEndedDays(now);
        _learner.Remember(subscription.UpdateId);
        var questionFollows = _learner.WhyNotDeliver(now, evenBeforeDeliveryTime: true) is null;
        _outbox.Text(Texts.Welcome(isNew, questionFollows));
        DeliveryResult delivery;
        try
        {
            delivery = await PrepareDeliveryAsync(now, evenBeforeDeliveryTime: true, MessageLane.Reply);
        }
        catch
        {
            // The bank failed after the rules changed the state in memory (the update is remembered as seen): drop this
            // activation, so that the redelivery starts from what is stored and does it all.
            DeactivateOnIdle();
            throw;
        }

        if (delivery.Status == DeliveryStatus.NoQuestion)
        {
            _outbox.Text(Texts.NoQuestionToday);
        }

        await WriteAsync();
        HandOver();
        if (_learner.State.IsActive)
        {
            await ScheduleReminderAsync(delivery.Status == DeliveryStatus.NoQuestion);
            if (_learner.State.NudgeOn)
            {
                await RegisterNudgeReminderAsync();
            }
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
        _outbox.Text(Texts.Goodbye);
        await WriteAsync();
        HandOver();
        await RemoveReminderAsync();
    }

    public async Task DeactivateAsync()
    {
        if (!_learner.State.IsReachable)
        {
            return;
        }

        await MarkUnreachableAsync();
    }

    public async Task<AnswerOutcome> AnswerAsync(AnswerSubmission answer)
    {
        var outcome = _learner.Answer(answer, _time.GetUtcNow());
        if (outcome.Status is AnswerStatus.Counted or AnswerStatus.Late)
        {
            // The question was tapped, so it reached the chat: nothing of that day is left to send.
            _outbox.DropQuestion(day => day == answer.Day);
            var open = _learner.State.OpenQuestions.First(q => q.Question.Id == answer.QuestionId && q.Day == answer.Day);
            var question = await _catalog.FindAsync(answer.QuestionId, CancellationToken.None) ?? Texts.MissingQuestion(open.Question.Id, open.Question.Topic, open.Question.Level, open.Question.CorrectIndex);
            var feedback = Texts.AnsweredWithFeedback(outcome with { Question = question }, _learner.State.TimeZoneId);
            if ((answer.MessageId ?? open.MessageId) is { } messageId)
            {
                _outbox.Edit(messageId, feedback);
            }
            else
            {
                _outbox.Text(feedback);
            }

            await WriteAsync();
            HandOver();
        }

        _metrics.Answer(outcome.Status switch
        {
            AnswerStatus.Late => "late",
            AnswerStatus.Counted => outcome.IsCorrect ? "correct" : "wrong",
            AnswerStatus.AlreadyAnswered => "already-answered",
            AnswerStatus.NotOpen => "not-open",
            _ => "duplicate",
        });

        // The toast goes back with the webhook's acknowledgement (a method in the HTTP response), not through a queue.
        return answer.CallbackQueryId is null ? outcome : outcome with { Toast = Texts.Toast(outcome) };
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

        // The report itself is durable in its table; the thanks needs no outbox.
        var reply = wasAsked ? Texts.ReportThanks : Texts.NothingToReport;
        _outbound.Enqueue(report.CallbackQueryId is { } callbackQueryId
            ? new OutboundMessage(0, 0, _learner.State.ChatId, MessageLane.Reply, OutboundKind.Toast, reply, CallbackQueryId: callbackQueryId)
            : new OutboundMessage(0, 0, _learner.State.ChatId, MessageLane.Reply, OutboundKind.Text, reply));
        return wasAsked;
    }

    public Task ReplyAsync(ChatReplyRequest request)
    {
        var texts = BotTexts.For(_learner.Language ?? request.LanguageCode);
        SendReply(request.ChatId, texts.Reply(request.Reply, request.Detail));
        return Task.CompletedTask;
    }

    public async Task ChangeSettingAsync(SettingChange change)
    {
        if (_learner.HasSeen(change.UpdateId))
        {
            return;
        }

        var texts = BotTexts.For(_learner.Language ?? change.LanguageCode);
        var chatId = ReplyChatId;
        string? toast = null;
        switch (change)
        {
            case { Kind: SettingKind.Language, Value: null }:
                SendReply(chatId, texts.LanguageChoice, BotTexts.LanguagesKeyboard());
                break;
            case { Kind: SettingKind.Language }:
                if (!Language.TryFind(change.Value, out var language))
                {
                    SendReply(chatId, texts.UnknownLanguage(change.Value!));
                    toast = texts.UnknownButton;
                    break;
                }

                _learner.ChooseLanguage(language.Code);
                toast = Texts.LanguageSet;
                await SaveSettingAsync(change, chatId, Texts.LanguageSet, keyboard: null);
                break;
            case { Kind: SettingKind.Topic, Value: null }:
                SendReply(chatId, texts.TopicsChoice, texts.TopicsKeyboard(_learner.State.TopicsOff));
                break;
            case { Kind: SettingKind.Topic } when !int.TryParse(change.Value, out var index) || index < 0 || index >= Topics.All.Count:
                toast = texts.UnknownButton;
                break;
            case { Kind: SettingKind.Topic }:
                if (!_learner.TrySwitchTopic(Topics.All[int.Parse(change.Value!, System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    toast = texts.LastTopicStaysOn;
                    break;
                }

                toast = texts.TopicsSaved;
                await SaveSettingAsync(change, chatId, texts.TopicsChoice, texts.TopicsKeyboard(_learner.State.TopicsOff));
                break;
            case { Kind: SettingKind.Top }:
                if (change.Value?.ToLowerInvariant() is not ("on" or "off"))
                {
                    SendReply(chatId, texts.BadTopCommand);
                    break;
                }

                var inTop = change.Value.Equals("on", StringComparison.OrdinalIgnoreCase);
                if (inTop)
                {
                    await _leaderboard.JoinAsync(LearnerId, change.DisplayName ?? "?", CancellationToken.None);
                }
                else
                {
                    await _leaderboard.LeaveAsync(LearnerId, CancellationToken.None);
                }

                _learner.State.InTop = inTop;
                await SaveSettingAsync(change, chatId, inTop ? texts.TopOn : texts.TopOff, keyboard: null);
                break;
            case { Kind: SettingKind.League, Value: null }:
                await JoinOrShowLeagueAsync(change, chatId, texts);
                break;
            case { Kind: SettingKind.League } when change.Value.Equals("off", StringComparison.OrdinalIgnoreCase):
                await LeaveLeagueAsync(change, chatId, texts);
                break;
            case { Kind: SettingKind.League }:
                SendReply(chatId, texts.BadLeagueCommand);
                break;
            case { Kind: SettingKind.Nudge }:
                if (change.Value?.ToLowerInvariant() is not ("on" or "off"))
                {
                    SendReply(chatId, texts.BadNudgeCommand);
                    break;
                }

                var on = change.Value.Equals("on", StringComparison.OrdinalIgnoreCase);
                _learner.SetNudge(on);
                await SaveSettingAsync(change, chatId, on ? texts.NudgeOn : texts.NudgeOff, keyboard: null);
                if (on && _learner.State.IsActive)
                {
                    await RegisterNudgeReminderAsync();
                }
                else if (!on)
                {
                    await RemoveReminderAsync(NudgeReminder);
                }

                break;
        }

        if (change.CallbackQueryId is { } callbackQueryId)
        {
            _outbound.Enqueue(new OutboundMessage(0, 0, chatId, MessageLane.Reply, OutboundKind.Toast, toast ?? texts.TopicsSaved, CallbackQueryId: callbackQueryId));
        }
    }

    public async Task LeagueWeekEndedAsync(LeagueResult result)
    {
        var state = _learner.State;
        if (state.LastLeagueWeekEnded >= result.League.Week)
        {
            return;
        }

        state.LastLeagueWeekEnded = result.League.Week;
        state.LeagueTier = result.NextTier;
        LeagueKey? next = null;
        if (state.League == result.League.ToString())
        {
            // Still a member: on to a league of the new week, at the new tier and the learner's level of today.
            state.League = null;
            if (state.IsActive)
            {
                next = await _leagues.JoinAsync(Leagues.WeekOf(_time.GetUtcNow()), state.LeagueTier, state.Level, LearnerId, state.LeagueName ?? "?", CancellationToken.None);
                state.League = next.ToString();
            }
        }

        if (state.IsActive)
        {
            // Not a reply to anything the learner did: a bulk notification, on the broadcast budget.
            _outbox.Text(Texts.LeagueWeekEnded(result, next is not null), lane: MessageLane.Daily);
        }

        await WriteAsync();
        HandOver();
        if (next is not null)
        {
            await GrainFactory.GetGrain<ILeagueGrain>(next.ToString()).JoinedAsync();
        }
    }

    /// <summary><c>/league</c>: joins this week's league when the learner is in none, then shows its table.</summary>
    private async Task JoinOrShowLeagueAsync(SettingChange change, long chatId, BotTexts texts)
    {
        var state = _learner.State;
        var week = Leagues.WeekOf(_time.GetUtcNow());
        var joined = false;
        if (!LeagueKey.TryParse(state.League, out var league) || league.Week != week)
        {
            var name = change.DisplayName ?? state.LeagueName ?? "?";
            league = await _leagues.JoinAsync(week, state.LeagueTier, state.Level, LearnerId, name, CancellationToken.None);
            // A league member is in the tops too (/top); leaving the league takes them out unless they chose /top on.
            await _leaderboard.JoinAsync(LearnerId, name, CancellationToken.None);
            state.League = league.ToString();
            state.LeagueName = name;
            state.ChatId = state.ChatId == 0 ? chatId : state.ChatId;
            _learner.Remember(change.UpdateId);
            await WriteAsync();
            await GrainFactory.GetGrain<ILeagueGrain>(state.League).JoinedAsync();
            joined = true;
        }

        var table = await GrainFactory.GetGrain<ILeagueGrain>(league.ToString()).GetTableAsync();
        SendReply(chatId, texts.LeagueTable(table, LearnerId, joined));
    }

    /// <summary><c>/league off</c>: out of the league (the tier is kept), and out of the tops unless the learner chose <c>/top on</c>.</summary>
    private async Task LeaveLeagueAsync(SettingChange change, long chatId, BotTexts texts)
    {
        var state = _learner.State;
        if (!LeagueKey.TryParse(state.League, out var league))
        {
            SendReply(chatId, texts.NotInLeague);
            return;
        }

        await _leagues.LeaveAsync(league, LearnerId, CancellationToken.None);
        if (!state.InTop)
        {
            await _leaderboard.LeaveAsync(LearnerId, CancellationToken.None);
        }

        state.League = null;
        await SaveSettingAsync(change, chatId, texts.LeagueLeft, keyboard: null);
    }

    public async Task ShowTopAsync()
    {
        var tops = await _leaderboard.TopAsync(CancellationToken.None);
        static IReadOnlyList<(int, string, int)> Lines(IReadOnlyList<LeaderboardEntry> entries) => [.. entries.Select(e => (e.Rank, e.Name, e.Correct))];
        var html = Texts.Top(Lines(tops.Day), Lines(tops.Week), Lines(tops.Month), _learner.State.InTop);
        SendReply(ReplyChatId, html);
    }

    public Task ShowAchievementsAsync()
    {
        var html = Texts.AchievementsList(Achievements.Catalogue, _learner.State.Achievements ?? []);
        SendReply(ReplyChatId, html);
        return Task.CompletedTask;
    }

    public async Task<LearnerStats> GetStatsAsync()
    {
        var now = _time.GetUtcNow();
        if (_learner.SettleEndedDays(now))
        {
            await WriteAsync();
        }

        return _learner.Stats(now);
    }

    public async Task<LearnerStats> ShowStatsAsync()
    {
        var now = _time.GetUtcNow();
        _learner.SettleEndedDays(now);
        var stats = _learner.Stats(now);
        _outbox.Text(Texts.Stats(stats));
        await WriteAsync();
        HandOver();
        if (stats.Answered + stats.ReviewsDone > 0)
        {
            // A reply drawn from the answer log when it is sent: not owed state, so not in the outbox.
            _outbound.Enqueue(new OutboundMessage(
                0, 0, _learner.State.ChatId, MessageLane.Reply, OutboundKind.Chart, Texts.StatsChartCaption, Language: _learner.Language, ChartOf: LearnerId));
        }

        return stats;
    }

    public async Task<ScheduleChange> SetScheduleAsync(TimeOnly deliveryTime, string timeZoneId)
    {
        var now = _time.GetUtcNow();
        if (!_learner.TrySetSchedule(deliveryTime, timeZoneId, now))
        {
            throw new ArgumentException($"Unknown time zone '{timeZoneId}'. Use an IANA name such as Europe/Berlin.", nameof(timeZoneId));
        }

        var change = new ScheduleChange(_learner.State.DeliveryTime, _learner.State.TimeZoneId, _learner.NextDelivery(now));
        if (_learner.State.ChatId != 0)
        {
            _outbox.Text(Texts.ScheduleSet(change));
        }

        await WriteAsync();
        HandOver();
        if (_learner.State.IsActive)
        {
            await ScheduleReminderAsync(afterFailedSend: false);
            if (_learner.State.NudgeOn)
            {
                await RegisterNudgeReminderAsync();
            }
        }

        return change;
    }

    public async Task<DeliveryResult> DeliverDueQuestionAsync()
    {
        try
        {
            return await DeliverAsync(_time.GetUtcNow(), MessageLane.Daily);
        }
        catch (Exception exception)
        {
            RetryFailedTick(exception);
            throw;
        }
    }

    public async Task ConfirmSentAsync(SendReceipt receipt)
    {
        if (_handedOver.Remove(receipt.Sequence) && _handedOver.Count == 0)
        {
            // Nothing of this activation's waits in a queue any more: it may be collected as any other.
            DelayDeactivation(TimeSpan.Zero);
        }

        if (_outbox.Take(receipt.Sequence) is not { } entry)
        {
            return;
        }

        var now = _time.GetUtcNow();
        switch (receipt.Outcome)
        {
            case SendOutcome.Sent:
                if (entry is { Kind: OutboundKind.Question, Day: { } day } && _learner.ConfirmDelivery(day, now, receipt.MessageId) is not null)
                {
                    _metrics.QuestionSent();
                    if (entry.Lane == MessageLane.Daily)
                    {
                        _metrics.DeliveryLag(now - _learner.Calendar.DeliveryInstant(day));
                    }
                }

                _hasUnsavedReceipts = true;
                if (entry.Kind == OutboundKind.Question)
                {
                    // The day's question is saved as sent at once, so that a crash of this silo sends it again only if
                    // it was on its way then. Other receipts are saved with the next write or when the activation ends:
                    // a crash before that sends such a reply once more (an edit again is harmless).
                    await SaveReceiptsAsync();
                }

                break;
            case SendOutcome.Unreachable:
                await MarkUnreachableAsync();
                break;
            default:
                LogNotSent(LearnerId, entry.Kind, receipt.Outcome);
                if (entry is { Kind: OutboundKind.Question, Day: { } failedDay })
                {
                    // The day stays open: the reminder comes back soon and delivers it again.
                    _learner.CancelDelivery(failedDay);
                    await WriteAsync();
                    if (_learner.State.IsActive)
                    {
                        await RegisterReminderAsync(RetryDelay());
                    }
                }
                else
                {
                    _hasUnsavedReceipts = true;
                }

                break;
        }
    }

    public async Task ResumeOutboxAsync()
    {
        var now = _time.GetUtcNow();
        if (_outbox.DropQuestion(day => _learner.HasEnded(day, now)))
        {
            // A day's question that never went out before its day ended: the day was never delivered.
            _learner.ForgetUnsent(day => _learner.HasEnded(day, now));
            await WriteAsync();
        }
        else if (_hasUnsavedReceipts)
        {
            // The sweep found this learner because their receipts are not saved yet: save them, so it stops finding them.
            await WriteAsync();
        }

        HandOver();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == NudgeReminder)
        {
            await OnNudgeTickAsync();
            return;
        }

        if (reminderName != DailyReminder)
        {
            return;
        }

        if (!_learner.State.IsActive)
        {
            await RemoveReminderAsync();
            return;
        }

        DeliveryResult delivery;
        try
        {
            delivery = await DeliverAsync(_time.GetUtcNow(), MessageLane.Daily);
        }
        catch (Exception exception)
        {
            // The bank or the database failed (a burst, an outage): the reminder would next come tomorrow, so bring it
            // back soon instead, or the learner loses their day. Moving it is a write that may fail for the same
            // reason, so this silo also retries from memory.
            var delay = RetryFailedTick(exception);
            try
            {
                await RegisterReminderAsync(delay);
            }
            catch (Exception reminderException)
            {
                LogRetryReminderNotMoved(LearnerId, reminderException.GetType().Name);
            }

            throw;
        }

        if (!_learner.State.IsActive)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var wanted = delivery.Status == DeliveryStatus.NoQuestion ? now + RetryDelay() : _learner.NextDelivery(now);
        var scheduled = now + status.Period;
        if ((wanted - scheduled).Duration() > ReminderTolerance)
        {
            try
            {
                await RegisterReminderAsync(wanted - now);
            }
            catch (Exception exception)
            {
                // A tick that came early (or found no question) and cannot move the reminder would leave the next one
                // for tomorrow: this silo comes back at the wanted instant instead.
                LogRetryReminderNotMoved(LearnerId, exception.GetType().Name);
                _retries.Schedule(LearnerId, wanted - now);
            }
        }
    }

    /// <summary>The evening nudge's tick: sends it if it is due (a broadcast), and keeps the reminder on 19:00 local.</summary>
    private async Task OnNudgeTickAsync()
    {
        if (!_learner.State.IsActive || !_learner.State.NudgeOn)
        {
            await RemoveReminderAsync(NudgeReminder);
            return;
        }

        var now = _time.GetUtcNow();
        if (_learner.IsNudgeDue(now))
        {
            _learner.RecordNudge(now);
            _outbox.Text(Texts.Nudge, lane: MessageLane.Daily);
            await WriteAsync();
            HandOver();
        }

        var next = _learner.NextNudge(now);
        if ((next - (now + Day)).Duration() > ReminderTolerance)
        {
            await RegisterNudgeReminderAsync();
        }
    }

    private Task<IGrainReminder> RegisterNudgeReminderAsync()
    {
        var now = _time.GetUtcNow();
        return this.RegisterOrUpdateReminder(NudgeReminder, _learner.NextNudge(now) - now, Day);
    }

    /// <summary>Has this silo ask for the due question again after the retry delay; returns the delay.</summary>
    private TimeSpan RetryFailedTick(Exception exception)
    {
        LogTickFailed(LearnerId, exception);
        var delay = RetryDelay();
        _retries.Schedule(LearnerId, delay);
        return delay;
    }

    /// <summary>The daily delivery: records today's question with its outbox entry in one write, and hands it over.</summary>
    private async Task<DeliveryResult> DeliverAsync(DateTimeOffset now, MessageLane lane)
    {
        var settled = _learner.SettleEndedDays(now);
        var delivery = await PrepareDeliveryAsync(now, evenBeforeDeliveryTime: false, lane);
        // A stored due instant that is no longer true would bring the due sweep back to this learner again and again.
        if (delivery.Status == DeliveryStatus.Sent || settled || _learner.State.NextDeliveryAt != NextDeliveryAt(now))
        {
            await WriteAsync();
            HandOver();
        }

        return delivery;
    }

    /// <summary>Chooses today's question and records it as owed, unless it is not due; writes nothing.</summary>
    private async Task<DeliveryResult> PrepareDeliveryAsync(DateTimeOffset now, bool evenBeforeDeliveryTime, MessageLane lane)
    {
        var today = _learner.Today(now);
        if (_learner.WhyNotDeliver(now, evenBeforeDeliveryTime) is { } reason)
        {
            return new DeliveryResult(reason, null, today);
        }

        if (await DueReviewAsync(today) is { } review)
        {
            _outbox.DropQuestion(day => day < today);
            _learner.RecordDelivery(review.Question, today, now, messageId: null, reviewOf: review.MissedOn);
            _outbox.Question(today, lane);
            return new DeliveryResult(DeliveryStatus.Sent, review.Question.Id, today);
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

        // An earlier day's question still unsent is not worth sending now (the learner forgets it as it records today's).
        _outbox.DropQuestion(day => day < today);
        _learner.RecordDelivery(choice.Question, today, now, messageId: null);
        _outbox.Question(today, lane);
        return new DeliveryResult(DeliveryStatus.Sent, choice.Question.Id, today);
    }

    /// <summary>The question due for review today with its wording, if any; a question no source knows any more is dropped from the reviews.</summary>
    private async Task<(Question Question, DateOnly MissedOn)?> DueReviewAsync(DateOnly today)
    {
        while (_learner.DueReview(today) is { } card)
        {
            if (await _catalog.FindAsync(card.Question.Id, CancellationToken.None) is { } question)
            {
                return (question, card.MissedOn);
            }

            _learner.DropReview(card.Question.Id);
        }

        return null;
    }

    /// <summary>Hands every outbox entry not yet handed over by this activation to the silo's sender; returns how many.</summary>
    private int HandOver()
    {
        var handed = 0;
        var now = _time.GetUtcNow();
        foreach (var entry in _learner.State.Outbox)
        {
            if (_handedOver.Contains(entry.Sequence) || ToMessage(entry, now) is not { } message)
            {
                continue;
            }

            _outbound.Enqueue(message);
            _handedOver.Add(entry.Sequence);
            handed++;
        }

        if (handed > 0)
        {
            DelayDeactivation(KeepWhileSending);
        }

        return handed;
    }

    private OutboundMessage? ToMessage(OutboxEntry entry, DateTimeOffset now)
    {
        var chatId = _learner.State.ChatId;
        if (entry.Kind != OutboundKind.Question)
        {
            return new OutboundMessage(LearnerId, entry.Sequence, chatId, entry.Lane, entry.Kind, entry.Html, entry.MessageId, Keyboard: entry.Keyboard);
        }

        var open = _learner.State.OpenQuestions.FirstOrDefault(q => q.Day == entry.Day && q.IsPending);
        return open is null || _learner.HasEnded(open.Day, now)
            ? null
            : new OutboundMessage(LearnerId, entry.Sequence, chatId, entry.Lane, OutboundKind.Question, QuestionId: open.Question.Id, Day: open.Day, Language: _learner.Language, ReviewOf: open.ReviewOf);
    }

    private async Task SaveReceiptsAsync()
    {
        try
        {
            await WriteStampedAsync();
        }
        catch (Exception exception)
        {
            // The message went out; only its receipt waits, for the next write or the outbox sweep. A stored state that
            // changed under this activation makes every later write fail too: start again from what is stored.
            LogReceiptsNotSaved(LearnerId, exception);
            if (exception is Orleans.Storage.InconsistentStateException)
            {
                DeactivateOnIdle();
            }
        }
    }

    /// <summary>A reply that changes no state (a list, a refusal): straight to the reply lane, not through the outbox.</summary>
    private void SendReply(long chatId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard = null) =>
        _outbound.Enqueue(new OutboundMessage(0, 0, chatId, MessageLane.Reply, OutboundKind.Text, html, Keyboard: keyboard));

    /// <summary>Stores a changed setting and tells the learner: in place of the keyboard they tapped, or as a new message.</summary>
    private async Task SaveSettingAsync(SettingChange change, long chatId, string html, List<List<InlineButton>>? keyboard)
    {
        _learner.Remember(change.UpdateId);
        if (_learner.State.ChatId == 0)
        {
            // Never started: the setting is kept for when they do, and the reply goes to the chat they wrote from.
            _learner.State.ChatId = chatId;
        }

        if (change.MessageId is { } messageId)
        {
            _outbox.Edit(messageId, html, keyboard);
        }
        else
        {
            _outbox.Text(html, keyboard);
        }

        await WriteAsync();
        HandOver();
    }

    private async Task MarkUnreachableAsync()
    {
        _learner.MarkUnreachable();
        _outbox.Clear();
        await WriteAsync();
        await RemoveReminderAsync();
        LogDeactivated(LearnerId);
    }

    private DateTimeOffset? NextDeliveryAt(DateTimeOffset now) => _learner.State.IsActive ? _learner.NextDelivery(now) : null;

    /// <summary>Writes the state with its next delivery instant, which the write turns into the learner's due row.</summary>
    private async Task WriteStampedAsync()
    {
        _learner.State.NextDeliveryAt = NextDeliveryAt(_time.GetUtcNow());
        await _state.WriteStateAsync();
        _hasUnsavedReceipts = false;
    }

    private async Task WriteAsync()
    {
        try
        {
            await WriteStampedAsync();
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
            switch (progress.Kind)
            {
                case ProgressEvents.StreakReset:
                    _metrics.StreakReset(progress.Cause);
                    break;
                case ProgressEvents.Promoted or ProgressEvents.Demoted:
                    _metrics.LevelChanged(progress.Kind == ProgressEvents.Promoted ? LevelChange.Promoted : LevelChange.Demoted);
                    break;
            }
        }

        _reportedEventSequence = _learner.State.EventSequence;
        if (_learner.State.LastAnswer is { } answer)
        {
            var topic = _learner.State.OpenQuestions.FirstOrDefault(q => q.Question.Id == answer.QuestionId && q.Day == answer.Day)?.Question.Topic ?? "";
            _history.Record(LearnerId, answer, topic);
        }

        _learner.ForgetLogged();
    }

    private Task ScheduleReminderAsync(bool afterFailedSend)
    {
        var now = _time.GetUtcNow();
        var due = afterFailedSend ? RetryDelay() : _learner.NextDelivery(now) - now;
        return RegisterReminderAsync(due);
    }

    /// <summary>
    /// When an outage fails the learners of one delivery time together, retrying them all after the same delay would
    /// bring them back together. Spreading each retry over the tenth-to-whole of the delay feeds the sender steadily.
    /// </summary>
    private TimeSpan RetryDelay() => _retryAfterFailedSend * (0.1 + (0.9 * Random.Shared.NextDouble()));

    private Task<IGrainReminder> RegisterReminderAsync(TimeSpan due) =>
        this.RegisterOrUpdateReminder(DailyReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, Day);

    /// <summary>Removes the learner's reminders: an inactive learner gets neither the question nor the nudge.</summary>
    private async Task RemoveReminderAsync()
    {
        await RemoveReminderAsync(DailyReminder);
        if (_learner.State.NudgeOn)
        {
            await RemoveReminderAsync(NudgeReminder);
        }
    }

    private async Task RemoveReminderAsync(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Learner {LearnerId}: the bank has no question at level {Level}")]
    private partial void LogNoQuestion(long learnerId, Level level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId} has been asked every {Level} question; repeating {QuestionId}")]
    private partial void LogRepeat(long learnerId, Level level, string questionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId}: the daily tick failed; the reminder comes back within Delivery:RetryAfterFailedSend")]
    private partial void LogTickFailed(long learnerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId}: the reminder could not be moved after a failed tick ({ExceptionType}); this silo retries from memory")]
    private partial void LogRetryReminderNotMoved(long learnerId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learner {LearnerId}: {Count} unconfirmed outbox messages sent again after reactivation")]
    private partial void LogResent(long learnerId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId}: send receipts could not be saved at deactivation")]
    private partial void LogReceiptsNotSaved(long learnerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learner {LearnerId}: a {Kind} message was not sent ({Outcome})")]
    private partial void LogNotSent(long learnerId, OutboundKind kind, SendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learner {LearnerId} blocked the bot: marked inactive, reminder removed")]
    private partial void LogDeactivated(long learnerId);
}
