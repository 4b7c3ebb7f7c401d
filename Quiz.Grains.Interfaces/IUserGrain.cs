namespace Quiz;

/// <summary>One learner, keyed by their Telegram user id: level, streak, history and daily schedule.</summary>
[Alias("quiz.user")]
public interface IUserGrain : IGrainWithIntegerKey
{
    /// <summary>Subscribes (or resumes) the learner and sends today's question at once if it has not gone out.</summary>
    [Alias("subscribe")]
    Task<SubscribeResult> SubscribeAsync(Subscription subscription);

    /// <summary>Stops daily questions and says goodbye; the learner's progress is kept for a later resume.</summary>
    [Alias("unsubscribe")]
    Task UnsubscribeAsync(long updateId = 0);

    /// <summary>Marks the learner unreachable (they blocked the bot): no more sends until they start again.</summary>
    [Alias("deactivate")]
    Task DeactivateAsync();

    /// <summary>Takes an answer, makes it and the feedback it owes durable, and returns the tap's toast; the outbox shows the feedback.</summary>
    [Alias("answer")]
    Task<AnswerOutcome> AnswerAsync(AnswerSubmission answer);

    /// <summary>Records the learner's report of a question they were asked, and thanks them.</summary>
    [Alias("report")]
    Task<bool> ReportQuestionAsync(QuestionReport report);

    /// <summary>Sends a reply that changes nothing (help, a command it could not read) in the learner's language.</summary>
    [Alias("reply")]
    Task ReplyAsync(ChatReplyRequest request);

    /// <summary>Shows the choices of a setting (<c>/lang</c>, <c>/topics</c>) or takes one; a bad choice changes nothing.</summary>
    [Alias("change-setting")]
    Task ChangeSettingAsync(SettingChange change);

    /// <summary>Sends the learner the catalogue of achievements, those earned ticked (<c>/achievements</c>).</summary>
    [Alias("show-achievements")]
    Task ShowAchievementsAsync();

    /// <summary>Sends the tops of the day, week and month among learners who opted in (<c>/top</c>).</summary>
    [Alias("show-top")]
    Task ShowTopAsync();

    /// <summary>Takes the end of the learner's league week: their new tier, a message, and a place in this week's league.</summary>
    [Alias("league-week-ended")]
    Task LeagueWeekEndedAsync(LeagueResult result);

    /// <summary>Returns the learner's progress.</summary>
    [Alias("stats")]
    Task<LearnerStats> GetStatsAsync();

    /// <summary>Sends the learner their progress (<c>/stats</c>).</summary>
    [Alias("show-stats")]
    Task<LearnerStats> ShowStatsAsync();

    /// <summary>Sets the daily delivery time and time zone (an IANA id) and tells the learner the next delivery.</summary>
    [Alias("set-schedule")]
    Task<ScheduleChange> SetScheduleAsync(TimeOnly deliveryTime, string timeZoneId);

    /// <summary>Sends today's question if it is due and has not gone out; safe to call any number of times.</summary>
    [Alias("deliver-due")]
    Task<DeliveryResult> DeliverDueQuestionAsync();

    /// <summary>Records what the sender did with one message of the learner's outbox.</summary>
    [Alias("confirm-sent")]
    Task ConfirmSentAsync(SendReceipt receipt);

    /// <summary>Sends what the learner's outbox still owes and this activation has not sent (after a silo stopped or crashed).</summary>
    [Alias("resume-outbox")]
    Task ResumeOutboxAsync();
}
