using System.Text.Json.Serialization;

namespace Quiz.Learners;

/// <summary>
/// Everything the learner grain keeps, stored as JSON. The JSON names are the stored contract:
/// rename a C# property freely, never a <see cref="JsonPropertyNameAttribute"/> value. Fields added since issue 11 are
/// left out while they hold their default, so a learner who never uses a feature stores nothing for it.
/// </summary>
public sealed class LearnerState
{
    [JsonPropertyName("learnerId")] public long LearnerId { get; set; }
    [JsonPropertyName("chatId")] public long ChatId { get; set; }
    [JsonPropertyName("language")] public string? LanguageCode { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("chosenLanguage")] public string? ChosenLanguage { get; set; }

    /// <summary>The topics switched off with <c>/topics</c>; a topic added to the bank later is on.</summary>
    [JsonPropertyName("topicsOff")] public List<string> TopicsOff { get; set; } = [];

    /// <summary>Questions answered wrong, each waiting for its next review (<see cref="Rules.ReviewSchedule"/>).</summary>
    [JsonPropertyName("reviews")] public List<ReviewCard> Reviews { get; set; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("lastReviewDay")] public DateOnly? LastReviewDay { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("reviewsDone")] public int ReviewsDone { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("nudge")] public bool NudgeOn { get; set; }

    /// <summary>Achievements earned (<see cref="Rules.Achievements"/>), with the learner's date of each.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("achievements")] public Dictionary<string, DateOnly>? Achievements { get; set; }

    /// <summary>Consecutive dates answered right on their day, up to <see cref="LastRightDay"/> (the perfect week).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("rightDays")] public int CorrectDaysInARow { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("lastRightDay")] public DateOnly? LastRightDay { get; set; }

    /// <summary>Whether the learner opted in to the tops (<c>/top on</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("top")] public bool InTop { get; set; }

    /// <summary>The weekly league the learner is in (<see cref="LeagueKey"/> as text), null when they are in none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("league")] public string? League { get; set; }

    /// <summary>The league tier (0 is the first), kept when the learner leaves and joins again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("leagueTier")] public int LeagueTier { get; set; }

    /// <summary>The name the learner's league shows, their Telegram first name when they joined.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("leagueName")] public string? LeagueName { get; set; }

    /// <summary>The week (its Monday) of the last league result taken: each week's is taken once.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("leagueWeekEnded")] public DateOnly? LastLeagueWeekEnded { get; set; }

    /// <summary>Streak freezes held (<see cref="Rules.Streak.MaxFreezes"/> at most).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("freezes")] public int Freezes { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("lastNudged")] public DateOnly? LastNudgedDay { get; set; }
    [JsonPropertyName("timeZone")] public string TimeZoneId { get; set; } = "UTC";
    [JsonPropertyName("deliveryTime")] public TimeOnly DeliveryTime { get; set; } = new(10, 0);
    [JsonPropertyName("subscribed")] public bool IsSubscribed { get; set; }
    [JsonPropertyName("reachable")] public bool IsReachable { get; set; } = true;
    [JsonPropertyName("level")] public Level Level { get; set; } = Rules.Difficulty.StartingLevel;
    [JsonPropertyName("streak")] public int Streak { get; set; }
    [JsonPropertyName("bestStreak")] public int BestStreak { get; set; }
    [JsonPropertyName("correctInARow")] public int CorrectInARow { get; set; }
    [JsonPropertyName("answered")] public int Answered { get; set; }
    [JsonPropertyName("correct")] public int Correct { get; set; }
    [JsonPropertyName("lastDeliveredDay")] public DateOnly? LastDeliveredDay { get; set; }
    [JsonPropertyName("lastSettledDay")] public DateOnly? LastSettledDay { get; set; }
    [JsonPropertyName("open")] public List<OpenQuestion> OpenQuestions { get; set; } = [];
    [JsonPropertyName("asked")] public Dictionary<string, DateOnly> Asked { get; set; } = [];
    [JsonPropertyName("topics")] public Dictionary<string, TopicCounts> Topics { get; set; } = [];
    [JsonPropertyName("lastAnswer")] public AnswerRecord? LastAnswer { get; set; }
    [JsonPropertyName("recentUpdates")] public List<long> RecentUpdateIds { get; set; } = [];
    [JsonPropertyName("events")] public List<ProgressEvent> RecentEvents { get; set; } = [];
    [JsonPropertyName("eventSeq")] public long EventSequence { get; set; }
    [JsonPropertyName("outbox")] public List<OutboxEntry> Outbox { get; set; } = [];
    [JsonPropertyName("outboxSeq")] public long OutboxSequence { get; set; }

    /// <summary>When the next daily question is due, as of the last write; null when none is. The state write keeps
    /// <c>learner_due</c> from it (160_quiz_due.sql), where the silos' due sweep finds a learner whose tick was lost.</summary>
    [JsonPropertyName("nextDelivery")] public DateTimeOffset? NextDeliveryAt { get; set; }

    [JsonIgnore] public bool IsActive => IsSubscribed && IsReachable;
}

/// <summary>A question that went out and may still be answered.</summary>
public sealed class OpenQuestion
{
    /// <summary>Which question, by reference: its wording comes from the silo's catalog when it is sent or explained.</summary>
    [JsonPropertyName("question")] public required QuestionKey Question { get; set; }
    [JsonPropertyName("day")] public DateOnly Day { get; set; }

    /// <summary>When <see cref="Day"/> ends in the zone the learner had when the question was sent; null in states stored before.</summary>
    [JsonPropertyName("ends")] public DateTimeOffset? Ends { get; set; }

    [JsonPropertyName("sentAt")] public DateTimeOffset SentAt { get; set; }
    [JsonPropertyName("messageId")] public int? MessageId { get; set; }
    [JsonPropertyName("answered")] public bool IsAnswered { get; set; }

    /// <summary>Recorded and waiting in the outbox; not yet accepted by Telegram, so the learner has not seen it.</summary>
    [JsonPropertyName("pending")] public bool IsPending { get; set; }

    /// <summary>For a review, the day the question was first answered wrong; null for a new question.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("reviewOf")] public DateOnly? ReviewOf { get; set; }
}

/// <summary>A question answered wrong, as FSRS remembers it, and when it is due for review.</summary>
public sealed class ReviewCard
{
    [JsonPropertyName("question")] public required QuestionKey Question { get; set; }
    [JsonPropertyName("missedOn")] public DateOnly MissedOn { get; set; }
    [JsonPropertyName("lastReviewed")] public DateOnly LastReviewed { get; set; }
    [JsonPropertyName("due")] public DateOnly Due { get; set; }
    [JsonPropertyName("stability")] public double Stability { get; set; }
    [JsonPropertyName("difficulty")] public double Difficulty { get; set; }
}

/// <summary>
/// What the rules need of a question: its id, topic, level and right answer. A question's id never changes meaning
/// (an edit of its wording or answer gets a new id: <c>quiz_upsert_questions</c>), so the rest is read from the bank.
/// States stored before issue 10 kept the whole question under the same JSON names; its other fields are ignored.
/// </summary>
public sealed class QuestionKey
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("topic")] public required string Topic { get; set; }
    [JsonPropertyName("level")] public Level Level { get; set; }
    [JsonPropertyName("correctIndex")] public int CorrectIndex { get; set; }

    public static QuestionKey Of(Question question) => new()
    {
        Id = question.Id, Topic = question.Topic, Level = question.Level, CorrectIndex = question.CorrectIndex,
    };
}

/// <summary>
/// A message the learner is owed, written with the state change that owes it and kept until the sender confirms it:
/// the outbox. Texts are rendered when owed; a question is sent from <see cref="LearnerState.OpenQuestions"/>.
/// </summary>
public sealed class OutboxEntry
{
    [JsonPropertyName("seq")] public long Sequence { get; set; }
    [JsonPropertyName("kind")] public Sending.OutboundKind Kind { get; set; }
    [JsonPropertyName("lane")] public Sending.MessageLane Lane { get; set; }
    [JsonPropertyName("html")] public string? Html { get; set; }
    [JsonPropertyName("messageId")] public int? MessageId { get; set; }
    [JsonPropertyName("day")] public DateOnly? Day { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("keyboard")] public List<List<Conversation.InlineButton>>? Keyboard { get; set; }
}

/// <summary>A learner's counts in one topic.</summary>
public sealed class TopicCounts
{
    [JsonPropertyName("asked")] public int Asked { get; set; }
    [JsonPropertyName("answered")] public int Answered { get; set; }
    [JsonPropertyName("correct")] public int Correct { get; set; }
}

/// <summary>
/// The latest answer. The storage's write function appends it to the <c>answers</c> log in the same
/// statement that stores the state, once per learner, question and day.
/// </summary>
public sealed class AnswerRecord
{
    [JsonPropertyName("questionId")] public required string QuestionId { get; set; }
    [JsonPropertyName("day")] public DateOnly Day { get; set; }
    [JsonPropertyName("choice")] public int Choice { get; set; }
    [JsonPropertyName("correct")] public bool IsCorrect { get; set; }
    [JsonPropertyName("late")] public bool IsLate { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] [JsonPropertyName("review")] public bool IsReview { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("streakAfter")] public int? StreakAfter { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("levelAfter")] public Level? LevelAfter { get; set; }
    [JsonPropertyName("level")] public Level Level { get; set; }
    [JsonPropertyName("answeredAt")] public DateTimeOffset AnsweredAt { get; set; }
    [JsonPropertyName("updateId")] public long UpdateId { get; set; }
}

/// <summary>
/// A level change or a streak reset. The storage's write function appends recent events to
/// <c>streak_history</c> by sequence number, so each is recorded exactly once.
/// </summary>
public sealed class ProgressEvent
{
    [JsonPropertyName("seq")] public long Sequence { get; set; }
    [JsonPropertyName("at")] public DateTimeOffset At { get; set; }
    [JsonPropertyName("kind")] public required string Kind { get; set; }
    [JsonPropertyName("cause")] public required string Cause { get; set; }
    [JsonPropertyName("levelBefore")] public Level LevelBefore { get; set; }
    [JsonPropertyName("levelAfter")] public Level LevelAfter { get; set; }
    [JsonPropertyName("streakBefore")] public int StreakBefore { get; set; }
    [JsonPropertyName("streakAfter")] public int StreakAfter { get; set; }
}

/// <summary>The kinds and causes of <see cref="ProgressEvent"/>, as stored.</summary>
public static class ProgressEvents
{
    public const string Promoted = "promoted";
    public const string Demoted = "demoted";
    public const string StreakReset = "streak-reset";
    public const string FreezeEarned = "freeze-earned";
    public const string FreezeSpent = "freeze-spent";

    public const string CauseCorrectInARow = "correct-in-a-row";
    public const string CauseWrongAnswer = "wrong-answer";
    public const string CauseSkippedDay = "skipped-day";
    public const string CauseSeventhDay = "seventh-day";
}
