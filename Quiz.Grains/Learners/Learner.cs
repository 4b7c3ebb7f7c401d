using System.Collections.Immutable;
using Quiz.Rules;

namespace Quiz.Learners;

/// <summary>
/// The learner's rules applied to their stored state: subscription, daily delivery, answers, streak and level.
/// Plain C#: the grain decides when to persist and what to send; this class decides what changes.
/// </summary>
public sealed class Learner
{
    /// <summary>An unanswered question can still be answered (late) for this many days.</summary>
    public const int LateAnswerDays = 7;

    private const int RecentUpdatesKept = 32;
    private const int RecentEventsKept = 16;

    private readonly LearnerState _state;
    private LearnerCalendar? _calendar;

    public Learner(LearnerState state)
    {
        _state = state;
    }

    public LearnerState State => _state;

    /// <summary>The language the learner chose with <c>/lang</c>, else their Telegram language; null when neither is known.</summary>
    public string? Language => _state.ChosenLanguage ?? _state.LanguageCode;

    public LearnerCalendar Calendar => _calendar ??= new LearnerCalendar(Zone(_state.TimeZoneId), _state.DeliveryTime);

    /// <summary>Subscribes or resumes; returns whether this learner is new.</summary>
    public bool Subscribe(long learnerId, Subscription subscription)
    {
        var isNew = _state.LearnerId == 0;
        _state.LearnerId = learnerId;
        _state.ChatId = subscription.ChatId;
        _state.LanguageCode = subscription.LanguageCode ?? _state.LanguageCode;
        _state.IsSubscribed = true;
        _state.IsReachable = true;
        return isNew;
    }

    public void Unsubscribe() => _state.IsSubscribed = false;

    /// <summary>Whether a Telegram update was already handled; 0 means "no update id" and is never a duplicate.</summary>
    public bool HasSeen(long updateId) => updateId != 0 && _state.RecentUpdateIds.Contains(updateId);

    /// <summary>Remembers a handled update so that its redelivery has no second effect.</summary>
    public void Remember(long updateId) => RememberUpdate(updateId);

    public void MarkUnreachable() => _state.IsReachable = false;

    /// <summary>
    /// Moves the learner to a new delivery time and zone. Days that ended are settled first; days already delivered keep
    /// the end they had in the zone they were delivered in, so a move east or west neither closes nor extends one.
    /// </summary>
    public bool TrySetSchedule(TimeOnly deliveryTime, string timeZoneId, DateTimeOffset now)
    {
        if (!LearnerCalendar.TryFindZone(timeZoneId, out var zone))
        {
            return false;
        }

        SettleEndedDays(now);
        _state.DeliveryTime = new TimeOnly(deliveryTime.Hour, deliveryTime.Minute);
        _state.TimeZoneId = zone.Id;
        _calendar = null;
        return true;
    }

    /// <summary>
    /// Closes every delivered day that has ended, in order: a day whose question the learner saw and left unanswered
    /// until its end breaks the streak and the row of correct answers. Returns whether anything changed.
    /// </summary>
    public bool SettleEndedDays(DateTimeOffset now)
    {
        var changed = false;
        var unsettled = _state.OpenQuestions
            .Where(q => _state.LastSettledDay is not { } settled || q.Day > settled)
            .OrderBy(q => q.Day)
            .ToList();
        foreach (var question in unsettled)
        {
            if (now < EndOf(question))
            {
                break;
            }

            _state.LastSettledDay = question.Day;
            changed = true;
            if (question.IsAnswered || question.IsPending)
            {
                continue;
            }

            if (question.ReviewOf is null)
            {
                // A review day's question is not at the learner's level: it leaves the level's row alone.
                _state.CorrectInARow = Difficulty.AfterUnansweredDay(_state.CorrectInARow);
            }

            if (Streak.SpendsFreeze(_state.Streak, _state.Freezes))
            {
                _state.Freezes--;
                Record(now, ProgressEvents.FreezeSpent, ProgressEvents.CauseSkippedDay, _state.Level, _state.Streak);
            }
            else if (_state.Streak > 0)
            {
                var before = _state.Streak;
                _state.Streak = Streak.AfterSkippedDay(new StreakCount(_state.Streak, _state.BestStreak)).Current;
                Record(now, ProgressEvents.StreakReset, ProgressEvents.CauseSkippedDay, _state.Level, before);
            }
        }

        return changed;
    }

    /// <summary>Whether day <paramref name="day"/>'s question can no longer be answered on time (or there is none).</summary>
    public bool HasEnded(DateOnly day, DateTimeOffset now) =>
        _state.OpenQuestions.FirstOrDefault(q => q.Day == day) is not { } question || now >= EndOf(question);

    /// <summary>Why no question should go out now, or null when today's question is due.</summary>
    public DeliveryStatus? WhyNotDeliver(DateTimeOffset now, bool evenBeforeDeliveryTime)
    {
        if (!_state.IsActive)
        {
            return DeliveryStatus.Inactive;
        }

        if (_state.LastDeliveredDay >= Calendar.DayOf(now))
        {
            return DeliveryStatus.AlreadySent;
        }

        if (!evenBeforeDeliveryTime && !Calendar.IsDeliveryDue(now))
        {
            return DeliveryStatus.NotDue;
        }

        return null;
    }

    public QuestionRequest QuestionRequest() => new(
        _state.Level,
        _state.Asked.ToImmutableDictionary(),
        TopicStats(),
        [.. _state.TopicsOff]);

    public void ChooseLanguage(string code) => _state.ChosenLanguage = code;

    public void SetNudge(bool on) => _state.NudgeOn = on;

    /// <summary>Whether the evening nudge should go out now: on, not sent today, within its window, and today's question unanswered in the chat.</summary>
    public bool IsNudgeDue(DateTimeOffset now)
    {
        var today = Calendar.DayOf(now);
        return _state.NudgeOn
            && _state.IsActive
            && (_state.LastNudgedDay is null || _state.LastNudgedDay < today)
            && EveningNudge.IsWithinWindow(Calendar.TimeOf(now))
            && _state.OpenQuestions.Any(q => q.Day == today && q is { IsAnswered: false, IsPending: false });
    }

    public void RecordNudge(DateTimeOffset now) => _state.LastNudgedDay = Calendar.DayOf(now);

    /// <summary>The next 19:00 on the learner's clock after <paramref name="now"/>.</summary>
    public DateTimeOffset NextNudge(DateTimeOffset now)
    {
        var today = Calendar.DayOf(now);
        var tonight = Calendar.InstantAt(today, EveningNudge.At);
        return tonight > now ? tonight : Calendar.InstantAt(today.AddDays(1), EveningNudge.At);
    }

    /// <summary>Switches <paramref name="topic"/> on or off; false (and nothing changes) when it is the last one on.</summary>
    public bool TrySwitchTopic(string topic)
    {
        if (_state.TopicsOff.Remove(topic))
        {
            return true;
        }

        if (Topics.All.Count(t => !_state.TopicsOff.Contains(t)) <= 1)
        {
            return false;
        }

        _state.TopicsOff.Add(topic);
        return true;
    }

    /// <summary>The question due for review on <paramref name="today"/>, the most overdue first; none on the day after a review day.</summary>
    public ReviewCard? DueReview(DateOnly today) =>
        ReviewSchedule.MayReviewOn(today, _state.LastReviewDay)
            ? _state.Reviews.Where(c => c.Due <= today).OrderBy(c => c.Due).ThenBy(c => c.Question.Id, StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>Forgets a question due for review that no source knows any more.</summary>
    public void DropReview(string questionId) => _state.Reviews.RemoveAll(c => c.Question.Id == questionId);

    /// <summary>
    /// Records day <paramref name="day"/>'s question as delivered and still pending in the outbox; with a
    /// <paramref name="messageId"/> it is already in the learner's chat. A question never seen is not a skipped day.
    /// A review (<paramref name="reviewOf"/>: the day it was first missed) is not new material: it leaves the
    /// learner's asked questions and topic counts as they are.
    /// </summary>
    public void RecordDelivery(Question question, DateOnly day, DateTimeOffset sentAt, int? messageId, DateOnly? reviewOf = null)
    {
        // An earlier day's question still unsent is not worth sending now; one past its late window is forgotten.
        ForgetUnsent(earlier => earlier < day);
        _state.OpenQuestions.RemoveAll(q => sentAt >= EndOf(q).AddDays(LateAnswerDays));
        _state.OpenQuestions.Add(new OpenQuestion
        {
            Question = QuestionKey.Of(question),
            Day = day,
            Ends = Calendar.StartOf(day.AddDays(1)),
            SentAt = sentAt,
            MessageId = messageId,
            IsPending = messageId is null,
            ReviewOf = reviewOf,
        });
        _state.LastDeliveredDay = day;
        if (reviewOf is not null)
        {
            _state.LastReviewDay = day;
            return;
        }

        _state.Asked[question.Id] = day;
        Counts(question.Topic).Asked++;
    }

    /// <summary>Telegram accepted day <paramref name="day"/>'s question: it is in the learner's chat from now on.</summary>
    public OpenQuestion? ConfirmDelivery(DateOnly day, DateTimeOffset sentAt, int? messageId)
    {
        var open = _state.OpenQuestions.FirstOrDefault(q => q.Day == day);
        if (open is { IsPending: true })
        {
            open.IsPending = false;
            open.SentAt = sentAt;
            open.MessageId = messageId;
        }

        return open;
    }

    /// <summary>Every question still unsent whose day <paramref name="isOver"/> is forgotten: those days were never delivered.</summary>
    public void ForgetUnsent(Func<DateOnly, bool> isOver)
    {
        foreach (var day in _state.OpenQuestions.Where(q => q.IsPending && isOver(q.Day)).Select(q => q.Day).ToList())
        {
            CancelDelivery(day);
        }
    }

    /// <summary>Day <paramref name="day"/>'s question could not be sent: the day is open again, as if never delivered.</summary>
    public void CancelDelivery(DateOnly day)
    {
        var open = _state.OpenQuestions.FirstOrDefault(q => q.Day == day && q.IsPending);
        if (open is null)
        {
            return;
        }

        _state.OpenQuestions.Remove(open);
        if (open.ReviewOf is not null)
        {
            // The review day did not happen: the review stays due, and may come on the next day.
            _state.LastReviewDay = null;
        }
        else
        {
            if (_state.Asked.TryGetValue(open.Question.Id, out var askedOn) && askedOn == day)
            {
                _state.Asked.Remove(open.Question.Id);
            }

            Counts(open.Question.Topic).Asked--;
        }

        if (_state.LastDeliveredDay == day)
        {
            // Questions are forgotten only a week after their day, so no older day can still be today's date.
            _state.LastDeliveredDay = _state.OpenQuestions.Count == 0 ? null : _state.OpenQuestions.Max(q => q.Day);
        }
    }

    public DateOnly Today(DateTimeOffset now) => Calendar.DayOf(now);

    /// <summary>
    /// When the next question will go out: on the first date from today that has had none (a move west can leave
    /// today's date already delivered in the zone before), at the delivery time, or now if that has passed.
    /// </summary>
    public DateTimeOffset NextDelivery(DateTimeOffset now)
    {
        var today = Calendar.DayOf(now);
        var day = _state.LastDeliveredDay is { } delivered && delivered >= today ? delivered.AddDays(1) : today;
        var instant = Calendar.DeliveryInstant(day);
        return instant > now ? instant : now;
    }

    /// <summary>
    /// Takes an answer to an open question. The outcome names no question: the grain adds its wording from the bank to
    /// explain it.
    /// </summary>
    public AnswerOutcome Answer(AnswerSubmission answer, DateTimeOffset now)
    {
        if (HasSeen(answer.UpdateId))
        {
            return Unchanged(AnswerStatus.Duplicate, answer, now);
        }

        var open = _state.OpenQuestions.FirstOrDefault(q => q.Question.Id == answer.QuestionId && q.Day == answer.Day);
        if (open is null || answer.Choice is < 0 or > 3 || now >= EndOf(open).AddDays(LateAnswerDays))
        {
            return Unchanged(AnswerStatus.NotOpen, answer, now);
        }

        if (open.IsAnswered)
        {
            return Unchanged(AnswerStatus.AlreadyAnswered, answer, now, open.Question.CorrectIndex);
        }

        if (open.IsPending)
        {
            // A tap on it proves that Telegram delivered it, whatever became of the sender's confirmation.
            open.IsPending = false;
            open.MessageId = answer.MessageId;
        }

        SettleEndedDays(now);
        var isLate = now >= EndOf(open);
        var isCorrect = answer.Choice == open.Question.CorrectIndex;
        open.IsAnswered = true;
        var change = LevelChange.None;
        DateOnly? nextReview;
        if (open.ReviewOf is not null)
        {
            _state.ReviewsDone++;
            nextReview = Review(open.Question, Today(now), isCorrect);
            if (!isLate)
            {
                ApplyOnTimeReview(isCorrect, now);
            }
        }
        else
        {
            var counts = Counts(open.Question.Topic);
            counts.Answered++;
            _state.Answered++;
            if (isCorrect)
            {
                counts.Correct++;
                _state.Correct++;
            }

            if (!isLate)
            {
                change = ApplyOnTimeAnswer(isCorrect, now);
            }

            nextReview = isCorrect ? null : Review(open.Question, Today(now), isCorrect: false, missedOn: open.Day);
        }

        if (!isLate)
        {
            (_state.CorrectDaysInARow, _state.LastRightDay) = Achievements.CorrectDays(_state.CorrectDaysInARow, _state.LastRightDay, open.Day, isCorrect);
        }

        var earned = Earn(now);
        _state.LastAnswer = new AnswerRecord
        {
            StreakAfter = _state.Streak,
            LevelAfter = _state.Level,
            QuestionId = open.Question.Id,
            Day = open.Day,
            Choice = answer.Choice,
            IsCorrect = isCorrect,
            IsLate = isLate,
            IsReview = open.ReviewOf is not null,
            Level = open.Question.Level,
            AnsweredAt = now,
            UpdateId = answer.UpdateId,
        };
        RememberUpdate(answer.UpdateId);

        return new AnswerOutcome(
            isLate ? AnswerStatus.Late : AnswerStatus.Counted,
            null,
            answer.Choice,
            isCorrect,
            _state.Streak,
            _state.Level,
            change,
            NextDelivery(now),
            ReviewOf: open.ReviewOf,
            NextReview: nextReview,
            Achievements: earned);
    }

    /// <summary>The achievements the learner's progress shows and they did not have: recorded, with today's date.</summary>
    private ImmutableArray<string> Earn(DateTimeOffset now)
    {
        var topics = _state.Topics.ToDictionary(t => t.Key, t => (t.Value.Answered, t.Value.Correct), StringComparer.Ordinal);
        var progress = new AchievementProgress(_state.Correct, _state.Streak, _state.Level, topics, _state.CorrectDaysInARow);
        var held = _state.Achievements ??= [];
        var earned = Achievements.ShownBy(progress).Where(a => !held.ContainsKey(a)).ToImmutableArray();
        foreach (var achievement in earned)
        {
            held[achievement] = Today(now);
        }

        return earned;
    }

    /// <summary>
    /// Once the state is stored, its latest answer and its events are in the answer log and <c>streak_history</c>
    /// (the write appends them in the same statement): the state stops carrying them, so later writes neither grow
    /// nor do that work again.
    /// </summary>
    public void ForgetLogged()
    {
        _state.LastAnswer = null;
        _state.RecentEvents.Clear();
    }

    public LearnerStats Stats(DateTimeOffset now) => new(
        _state.IsSubscribed,
        _state.IsActive,
        _state.Level,
        _state.Streak,
        _state.BestStreak,
        _state.CorrectInARow,
        _state.Answered,
        _state.Correct,
        TopicStats(),
        _state.TimeZoneId,
        _state.DeliveryTime,
        _state.IsActive ? NextDelivery(now) : null,
        _state.Reviews.Count(c => c.Due <= Today(now)),
        _state.ReviewsDone,
        _state.Freezes);

    /// <summary>
    /// Schedules <paramref name="question"/>'s next review after an answer on <paramref name="day"/>; returns its due
    /// day, or null when it is learned and retires. A question missed again before its review keeps its memory.
    /// </summary>
    private DateOnly? Review(QuestionKey question, DateOnly day, bool isCorrect, DateOnly? missedOn = null)
    {
        var card = _state.Reviews.FirstOrDefault(c => c.Question.Id == question.Id);
        var (memory, due) = ReviewSchedule.After(
            card is null ? null : new MemoryState(card.Stability, card.Difficulty), card?.LastReviewed, day, isCorrect);
        if (due is null)
        {
            _state.Reviews.Remove(card!);
            return null;
        }

        if (card is null)
        {
            card = new ReviewCard { Question = question, MissedOn = missedOn ?? day };
            _state.Reviews.Add(card);
        }

        (card.Stability, card.Difficulty, card.LastReviewed, card.Due) = (memory.Stability, memory.Difficulty, day, due.Value);
        return due;
    }

    /// <summary>A review answered on its day counts for the streak as any day's question; it does not move the level.</summary>
    private void ApplyOnTimeReview(bool isCorrect, DateTimeOffset now)
    {
        var streakBefore = _state.Streak;
        var streak = Streak.AfterOnTimeAnswer(new StreakCount(_state.Streak, _state.BestStreak), isCorrect);
        (_state.Streak, _state.BestStreak) = (streak.Current, streak.Best);
        if (streak.IsReset(new StreakCount(streakBefore, 0)))
        {
            Record(now, ProgressEvents.StreakReset, ProgressEvents.CauseWrongAnswer, _state.Level, streakBefore);
        }

        EarnFreeze(isCorrect, now, streakBefore);
    }

    private void EarnFreeze(bool isCorrect, DateTimeOffset now, int streakBefore)
    {
        if (isCorrect && Streak.EarnsFreeze(_state.Streak, _state.Freezes))
        {
            _state.Freezes++;
            Record(now, ProgressEvents.FreezeEarned, ProgressEvents.CauseSeventhDay, _state.Level, streakBefore);
        }
    }

    private LevelChange ApplyOnTimeAnswer(bool isCorrect, DateTimeOffset now)
    {
        var levelBefore = _state.Level;
        var streakBefore = _state.Streak;

        var step = Difficulty.AfterAnswer(_state.Level, _state.CorrectInARow, isCorrect);
        var streak = Streak.AfterOnTimeAnswer(new StreakCount(_state.Streak, _state.BestStreak), isCorrect);
        _state.Level = step.Level;
        _state.CorrectInARow = step.CorrectInARow;
        _state.Streak = streak.Current;
        _state.BestStreak = streak.Best;

        var cause = isCorrect ? ProgressEvents.CauseCorrectInARow : ProgressEvents.CauseWrongAnswer;
        if (step.Change == LevelChange.Promoted)
        {
            Record(now, ProgressEvents.Promoted, cause, levelBefore, streakBefore);
        }
        else if (step.Change == LevelChange.Demoted)
        {
            Record(now, ProgressEvents.Demoted, cause, levelBefore, streakBefore);
        }

        if (streak.IsReset(new StreakCount(streakBefore, 0)))
        {
            Record(now, ProgressEvents.StreakReset, cause, levelBefore, streakBefore);
        }

        EarnFreeze(isCorrect, now, streakBefore);
        return step.Change;
    }

    /// <summary>
    /// A day ends when its date ends in the zone the learner had when its question was sent; a state stored before
    /// days kept their end reads it from today's zone.
    /// </summary>
    private DateTimeOffset EndOf(OpenQuestion question) => question.Ends ?? Calendar.StartOf(question.Day.AddDays(1));

    private AnswerOutcome Unchanged(AnswerStatus status, AnswerSubmission answer, DateTimeOffset now, int? correctIndex = null) =>
        new(status, null, answer.Choice, answer.Choice == correctIndex,
            _state.Streak, _state.Level, LevelChange.None, NextDelivery(now));

    private void Record(DateTimeOffset at, string kind, string cause, Level levelBefore, int streakBefore)
    {
        _state.RecentEvents.Add(new ProgressEvent
        {
            Sequence = ++_state.EventSequence,
            At = at,
            Kind = kind,
            Cause = cause,
            LevelBefore = levelBefore,
            LevelAfter = _state.Level,
            StreakBefore = streakBefore,
            StreakAfter = _state.Streak,
        });
        if (_state.RecentEvents.Count > RecentEventsKept)
        {
            _state.RecentEvents.RemoveRange(0, _state.RecentEvents.Count - RecentEventsKept);
        }
    }

    private void RememberUpdate(long updateId)
    {
        if (updateId == 0)
        {
            return;
        }

        _state.RecentUpdateIds.Add(updateId);
        if (_state.RecentUpdateIds.Count > RecentUpdatesKept)
        {
            _state.RecentUpdateIds.RemoveRange(0, _state.RecentUpdateIds.Count - RecentUpdatesKept);
        }
    }

    private TopicCounts Counts(string topic)
    {
        if (!_state.Topics.TryGetValue(topic, out var counts))
        {
            counts = new TopicCounts();
            _state.Topics[topic] = counts;
        }

        return counts;
    }

    private ImmutableArray<TopicStats> TopicStats() =>
        [.. _state.Topics.Where(t => t.Value.Asked > 0).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new TopicStats(t.Key, t.Value.Asked, t.Value.Answered, t.Value.Correct))];

    private static TimeZoneInfo Zone(string id) =>
        LearnerCalendar.TryFindZone(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
