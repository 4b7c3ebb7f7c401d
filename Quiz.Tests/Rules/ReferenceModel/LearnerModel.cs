using System.Collections.Immutable;
using Quiz.Rules;

namespace Quiz.Tests.Rules.ReferenceModel;

/// <summary>
/// The learner's rules as <c>docs/rules.md</c> states them, written from that page and kept naive: it remembers every
/// day for ever, finds dates and instants with <see cref="LearnerCalendarTests.WallClockInstant"/> (a minute-by-minute
/// walk over UTC), and shares no code with <c>Learner</c>. Rule numbers refer to that page. Reviews follow the
/// page's "Spaced review" rules; how far a review moves a question's due date is FSRS arithmetic, which the model takes
/// from <see cref="ReviewSchedule.After"/> (checked against the published formulas in <c>FsrsTests</c>).
/// </summary>
internal sealed class LearnerModel
{
    private const int LateAnswerDays = 7;

    private readonly List<ModelDay> _days = [];
    private readonly HashSet<long> _handledUpdates = [];
    private readonly List<(string Kind, string Cause)> _events = [];
    private readonly Dictionary<string, ModelCard> _cards = [];
    private int _reviewsDone;
    private DateOnly? _lastReviewDate;

    public bool Subscribed { get; private set; }
    public bool Reachable { get; private set; } = true;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;
    public TimeOnly DeliveryTime { get; private set; } = new(10, 0);
    public Level Level { get; private set; } = Level.Intermediate;
    public int Streak { get; private set; }
    public int Best { get; private set; }
    public int Row { get; private set; }
    public int Freezes { get; private set; }

    public bool IsActive => Subscribed && Reachable;

    /// <summary>Progress events (rule "What is counted where"), in the order they happened.</summary>
    public IReadOnlyList<(string Kind, string Cause)> Events => _events;

    private IEnumerable<ModelDay> Delivered => _days.Where(d => !d.Cancelled);

    private DateOnly? LastDeliveredDate => Delivered.Select(d => (DateOnly?)d.Date).Max();

    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    public bool Subscribe(long updateId, DateTimeOffset now)
    {
        if (_handledUpdates.Contains(updateId))
        {
            return false;
        }

        Subscribed = true;
        Reachable = true;
        Settle(now);
        _handledUpdates.Add(updateId);
        return true;
    }

    public void Unsubscribe(long updateId)
    {
        if (_handledUpdates.Add(updateId))
        {
            Subscribed = false;
        }
    }

    public void Block() => Reachable = false;

    public void SetSchedule(TimeOnly time, TimeZoneInfo zone, DateTimeOffset now)
    {
        Settle(now); // rule 17
        DeliveryTime = new TimeOnly(time.Hour, time.Minute);
        Zone = zone;
    }

    /// <summary>Rules 4 and 5: why nothing is due now, or null.</summary>
    public DeliveryStatus? WhyNotDeliver(DateTimeOffset now, bool evenBeforeDeliveryTime)
    {
        if (!IsActive)
        {
            return DeliveryStatus.Inactive;
        }

        var today = DateOf(now);
        if (LastDeliveredDate is { } last && last >= today)
        {
            return DeliveryStatus.AlreadySent;
        }

        return !evenBeforeDeliveryTime && now < DeliveryInstant(today) ? DeliveryStatus.NotDue : null;
    }

    /// <summary>Review rules: the most overdue question due today, unless the day before was a review day.</summary>
    public string? DueReview(DateTimeOffset now)
    {
        var today = DateOf(now);
        if (_lastReviewDate is { } last && today.DayNumber - last.DayNumber < 2)
        {
            return null;
        }

        return _cards.Values.Where(c => c.Due <= today).OrderBy(c => c.Due).ThenBy(c => c.Question.Id, StringComparer.Ordinal).FirstOrDefault()?.Question.Id;
    }

    public DateOnly MissedOn(string questionId) => _cards[questionId].MissedOn;

    public void Record(Question question, DateTimeOffset now, bool isReview = false)
    {
        var date = DateOf(now);
        foreach (var unseen in _days.Where(d => !d.Cancelled && !d.Seen && d.Date < date).ToList())
        {
            Forget(unseen); // rule 6
        }

        _days.Add(new ModelDay(date, question, EndOfDate(date)) { IsReview = isReview }); // rule 3
        if (isReview)
        {
            _lastReviewDate = date;
        }
    }

    public void Confirm(DateOnly date)
    {
        if (Delivered.FirstOrDefault(d => d.Date == date) is { Seen: false } day)
        {
            day.Seen = true;
        }
    }

    public void Cancel(DateOnly date)
    {
        if (Delivered.FirstOrDefault(d => d.Date == date) is { Seen: false } day)
        {
            Forget(day);
        }
    }

    /// <summary>Rule 6: a question never seen before its day ended was never delivered.</summary>
    public void ForgetUnseenEnded(DateTimeOffset now)
    {
        foreach (var day in Delivered.Where(d => !d.Seen && now >= d.End).ToList())
        {
            Forget(day);
        }
    }

    public IReadOnlyList<DateOnly> UnseenDates => [.. Delivered.Where(d => !d.Seen).Select(d => d.Date)];

    /// <summary>Questions that can be tapped, newest first.</summary>
    public IReadOnlyList<(Question Question, DateOnly Date)> Tappable => [.. Delivered.OrderByDescending(d => d.Date).Select(d => (d.Question, d.Date))];

    public (AnswerStatus Status, bool IsCorrect, LevelChange Change) Answer(long updateId, string questionId, DateOnly date, int choice, DateTimeOffset now)
    {
        if (_handledUpdates.Contains(updateId))
        {
            return (AnswerStatus.Duplicate, false, LevelChange.None); // rule 10
        }

        var day = Delivered.FirstOrDefault(d => d.Date == date && d.Question.Id == questionId);
        if (day is null || choice is < 0 or > 3 || now >= day.End.AddDays(LateAnswerDays))
        {
            return (AnswerStatus.NotOpen, false, LevelChange.None); // rule 9
        }

        var isCorrect = choice == day.Question.CorrectIndex;
        if (day.Answered)
        {
            return (AnswerStatus.AlreadyAnswered, isCorrect, LevelChange.None);
        }

        day.Seen = true; // rule 6: a tap proves delivery
        Settle(now);
        day.Answered = true;
        day.AnsweredCorrectly = isCorrect;
        _handledUpdates.Add(updateId);

        if (day.IsReview)
        {
            _reviewsDone++;
            Schedule(day.Question, DateOf(now), isCorrect);
        }
        else if (!isCorrect)
        {
            Schedule(day.Question, DateOf(now), isCorrect: false, missedOn: day.Date);
        }

        if (now >= day.End)
        {
            return (AnswerStatus.Late, isCorrect, LevelChange.None); // rule 14
        }

        day.OnTime = true;
        if (day.IsReview)
        {
            ReviewOnTime(isCorrect);
            return (AnswerStatus.Counted, isCorrect, LevelChange.None);
        }

        return (AnswerStatus.Counted, isCorrect, isCorrect ? CorrectOnTime() : WrongOnTime());
    }

    /// <summary>Rules 15 to 17.</summary>
    public void Settle(DateTimeOffset now)
    {
        foreach (var day in Delivered.Where(d => !d.Settled).OrderBy(d => d.Date))
        {
            if (now < day.End)
            {
                return;
            }

            day.Settled = true;
            if (day.Seen && !day.OnTime)
            {
                if (!day.IsReview)
                {
                    Row = 0;
                }

                if (Streak > 0 && Freezes > 0)
                {
                    Freezes--; // streak freeze: the streak neither grows nor breaks
                    _events.Add(("freeze-spent", "skipped-day"));
                }
                else if (Streak > 0)
                {
                    Streak = 0;
                    _events.Add(("streak-reset", "skipped-day"));
                }
            }
        }
    }

    /// <summary>Rule 7.</summary>
    public DateTimeOffset NextDelivery(DateTimeOffset now)
    {
        var date = DateOf(now);
        while (LastDeliveredDate is { } last && date <= last)
        {
            date = date.AddDays(1);
        }

        var instant = DeliveryInstant(date);
        return instant > now ? instant : now;
    }

    public LearnerStats Stats(DateTimeOffset now)
    {
        var answered = Delivered.Where(d => d.Answered && !d.IsReview).ToList();
        var topics = Delivered.Where(d => !d.IsReview)
            .GroupBy(d => d.Question.Topic)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TopicStats(g.Key, g.Count(), g.Count(d => d.Answered), g.Count(d => d.AnsweredCorrectly)))
            .ToImmutableArray();
        return new LearnerStats(
            Subscribed, IsActive, Level, Streak, Best, Row, answered.Count, answered.Count(d => d.AnsweredCorrectly), topics,
            Zone.Id, DeliveryTime, IsActive ? NextDelivery(now) : null, _cards.Values.Count(c => c.Due <= DateOf(now)), _reviewsDone, Freezes);
    }

    private void Forget(ModelDay day)
    {
        day.Cancelled = true;
        if (day.IsReview)
        {
            _lastReviewDate = null;
        }
    }

    private void Schedule(Question question, DateOnly date, bool isCorrect, DateOnly? missedOn = null)
    {
        _cards.TryGetValue(question.Id, out var card);
        var (memory, due) = ReviewSchedule.After(card?.Memory, card?.LastReviewed, date, isCorrect);
        if (due is null)
        {
            _cards.Remove(question.Id);
            return;
        }

        _cards[question.Id] = new ModelCard(question, card?.MissedOn ?? missedOn ?? date, memory, date, due.Value);
    }

    private void ReviewOnTime(bool isCorrect)
    {
        if (isCorrect)
        {
            Streak++;
            Best = Math.Max(Best, Streak);
            EarnFreeze();
        }
        else if (Streak > 0)
        {
            Streak = 0;
            _events.Add(("streak-reset", "wrong-answer"));
        }
    }

    private LevelChange CorrectOnTime()
    {
        Streak++;
        Best = Math.Max(Best, Streak);
        Row++;
        var change = LevelChange.None;
        if (Row >= 3)
        {
            Row = 0;
            if (Level != Level.Expert)
            {
                Level++;
                _events.Add(("promoted", "correct-in-a-row"));
                change = LevelChange.Promoted;
            }
        }

        EarnFreeze();
        return change;
    }

    /// <summary>Streak freeze: one at every 7th day of a streak, 2 held at most.</summary>
    private void EarnFreeze()
    {
        if (Streak % 7 == 0 && Freezes < 2)
        {
            Freezes++;
            _events.Add(("freeze-earned", "seventh-day"));
        }
    }

    private LevelChange WrongOnTime()
    {
        var hadStreak = Streak > 0;
        Streak = 0;
        Row = 0;
        var change = LevelChange.None;
        if (Level != Level.Beginner)
        {
            Level--;
            _events.Add(("demoted", "wrong-answer"));
            change = LevelChange.Demoted;
        }

        if (hadStreak)
        {
            _events.Add(("streak-reset", "wrong-answer"));
        }

        return change;
    }

    private DateTimeOffset DeliveryInstant(DateOnly date) => LearnerCalendarTests.WallClockInstant(Zone, date.ToDateTime(DeliveryTime));

    private DateTimeOffset EndOfDate(DateOnly date) => LearnerCalendarTests.WallClockInstant(Zone, date.AddDays(1).ToDateTime(TimeOnly.MinValue));

    private sealed class ModelDay(DateOnly date, Question question, DateTimeOffset end)
    {
        public DateOnly Date { get; } = date;
        public Question Question { get; } = question;
        public DateTimeOffset End { get; } = end;
        public bool Seen { get; set; }
        public bool Cancelled { get; set; }
        public bool Answered { get; set; }
        public bool AnsweredCorrectly { get; set; }
        public bool OnTime { get; set; }
        public bool Settled { get; set; }
        public bool IsReview { get; init; }
    }

    private sealed record ModelCard(Question Question, DateOnly MissedOn, MemoryState Memory, DateOnly LastReviewed, DateOnly Due);
}
