using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Quiz.Bank;
using Quiz.Conversation;
using Quiz.Rules;
using Quiz.Sending;

namespace Quiz.Groups;

/// <summary>
/// One group chat. Posts the daily question at the time an admin set, on the broadcast lane; takes each member's answer
/// into <see cref="IGroupAnswers"/> before their toast says how they did; and when the next question comes (or the
/// daily question is turned off) edits the last one into its answer, explanation and tally. Reminder ticks ask the
/// state what is due, so a late or doubled tick posts nothing twice.
/// </summary>
[GrainType("group")]
public sealed partial class GroupGrain : Grain, IGroupGrain, IRemindable
{
    public const string DailyReminder = "group-daily";

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan ReminderTolerance = TimeSpan.FromMinutes(5);
    private const int RecentUpdatesKept = 20;

    private readonly IPersistentState<GroupState> _state;
    private readonly IOutboundQueue _outbound;
    private readonly ILearnerMessenger _telegram;
    private readonly IGroupAnswers _answers;
    private readonly QuestionCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<GroupGrain> _logger;
    private readonly HashSet<long> _handedOver = [];

    public GroupGrain(
        [PersistentState(StorageNames.GroupState, StorageNames.Learners)] IPersistentState<GroupState> state,
        IOutboundQueue outbound,
        ILearnerMessenger telegram,
        IGroupAnswers answers,
        QuestionCatalog catalog,
        TimeProvider time,
        ILogger<GroupGrain> logger)
    {
        _state = state;
        _outbound = outbound;
        _telegram = telegram;
        _answers = answers;
        _catalog = catalog;
        _time = time;
        _logger = logger;
    }

    private GroupState State => _state.State;

    private long ChatId => this.GetPrimaryKeyLong();

    private BotTexts Texts => BotTexts.For(State.LanguageCode);

    private LearnerCalendar Calendar =>
        new(LearnerCalendar.TryFindZone(State.TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc, State.DeliveryTime);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A post or tally an earlier activation handed over and never saw confirmed (its silo stopped) goes out now.
        await HandOverAsync();
    }

    public async Task BotAddedAsync(GroupJoined joined)
    {
        if (Seen(joined.UpdateId))
        {
            return;
        }

        State.ChatId = ChatId;
        State.Title = joined.Title;
        State.BotIsMember = true;
        State.LanguageCode ??= Language.For(joined.LanguageCode).Code;
        await _state.WriteStateAsync();
        Reply(Texts.GroupOffer);
    }

    public async Task BotRemovedAsync()
    {
        if (!State.BotIsMember && !State.DailyOn)
        {
            return;
        }

        State.BotIsMember = false;
        State.DailyOn = false;
        await _state.WriteStateAsync();
        await RemoveReminderAsync();
        LogRemoved(ChatId);
    }

    public async Task SetDailyAsync(GroupDaily daily)
    {
        if (Seen(daily.UpdateId))
        {
            return;
        }

        var texts = BotTexts.For(State.LanguageCode ?? daily.LanguageCode);
        // Only a group admin may change what the whole group gets (getChatMember, https://core.telegram.org/bots/api#getchatmember).
        switch (await _telegram.IsChatAdminAsync(ChatId, daily.UserId, CancellationToken.None))
        {
            case null:
                Reply(texts.GroupAdminUnknown);
                return;
            case false:
                Reply(texts.GroupAdminsOnly);
                return;
        }

        State.ChatId = ChatId;
        State.BotIsMember = true;
        if (daily.DeliveryTime is not { } time)
        {
            State.DailyOn = false;
            CloseOpenRounds();
            await _state.WriteStateAsync();
            await HandOverAsync();
            await RemoveReminderAsync();
            Reply(texts.GroupDailyOff);
            return;
        }

        State.DailyOn = true;
        State.DeliveryTime = time;
        State.TimeZoneId = daily.TimeZoneId ?? State.TimeZoneId;
        State.LanguageCode = Language.For(State.LanguageCode ?? daily.LanguageCode).Code;
        await _state.WriteStateAsync();
        Reply(Texts.GroupDailyOn(State.DeliveryTime, State.TimeZoneId));
        await RegisterReminderAsync();
        // The first question comes at once, so that the group sees how it works; the next at the time chosen.
        await PostAsync(evenBeforeDeliveryTime: true);
    }

    public async Task<string> AnswerAsync(GroupAnswer answer)
    {
        var texts = BotTexts.For(answer.LanguageCode ?? State.LanguageCode);
        var round = State.Rounds.FirstOrDefault(r => r.QuestionId == answer.QuestionId && r.Day == answer.Day);
        if (round is not { IsOpen: true } || answer.Choice is < 0 or > 3
            || await _catalog.FindAsync(answer.QuestionId, CancellationToken.None) is not { } question)
        {
            return texts.GroupRoundClosed;
        }

        var isCorrect = answer.Choice == question.CorrectIndex;
        var (recorded, choice) = await _answers.RecordAsync(ChatId, answer, isCorrect, _time.GetUtcNow(), CancellationToken.None);
        return recorded ? texts.GroupToast(isCorrect, choice) : texts.GroupAlreadyAnswered(choice);
    }

    public async Task ShowTopAsync(string? languageCode)
    {
        var tops = await _answers.TopAsync(ChatId, Calendar.DayOf(_time.GetUtcNow()), CancellationToken.None);
        static IReadOnlyList<(int, string, int)> Lines(IReadOnlyList<Social.LeaderboardEntry> entries) => [.. entries.Select(e => (e.Rank, e.Name, e.Correct))];
        Reply(BotTexts.For(State.LanguageCode ?? languageCode).GroupTop(Lines(tops.Day), Lines(tops.Week), Lines(tops.Month)));
    }

    public Task ShowHelpAsync(string? languageCode)
    {
        Reply(BotTexts.For(State.LanguageCode ?? languageCode).GroupHelp);
        return Task.CompletedTask;
    }

    public Task<bool> PostDueAsync() => PostAsync(evenBeforeDeliveryTime: false);

    public async Task ConfirmSentAsync(SendReceipt receipt)
    {
        _handedOver.Remove(receipt.Sequence);
        var posted = State.Rounds.FirstOrDefault(r => r.PostSequence == receipt.Sequence);
        var tallied = State.Rounds.FirstOrDefault(r => r.TallySequence == receipt.Sequence);
        if (receipt.Outcome == SendOutcome.Unreachable)
        {
            // Removed from the group, or no longer allowed to write there: as if removed.
            await BotRemovedAsync();
            return;
        }

        if (posted is { IsPosted: false })
        {
            // A post that failed after the sender's retries is given up for the day: the next day's comes as usual.
            posted.IsPosted = true;
            posted.MessageId = receipt.Outcome == SendOutcome.Sent ? receipt.MessageId : null;
            if (posted.MessageId is null)
            {
                LogNotPosted(ChatId, posted.QuestionId, receipt.Outcome);
            }
        }
        else if (tallied is { IsTallied: false })
        {
            tallied.IsTallied = true;
        }
        else
        {
            return;
        }

        State.Rounds.RemoveAll(r => r.IsTallied || (r.IsPosted && r.MessageId is null && !r.IsOpen));
        await _state.WriteStateAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DailyReminder)
        {
            return;
        }

        if (!State.DailyOn || !State.BotIsMember)
        {
            await RemoveReminderAsync();
            return;
        }

        await PostAsync(evenBeforeDeliveryTime: false);
        var now = _time.GetUtcNow();
        if ((Calendar.NextDeliveryAfter(now) - (now + status.Period)).Duration() > ReminderTolerance)
        {
            await RegisterReminderAsync();
        }
    }

    /// <summary>Posts today's question unless the group has it already, closing the rounds before it; true when it posted.</summary>
    private async Task<bool> PostAsync(bool evenBeforeDeliveryTime)
    {
        var now = _time.GetUtcNow();
        var calendar = Calendar;
        var today = calendar.DayOf(now);
        if (!State.DailyOn || !State.BotIsMember || State.Rounds.Any(r => r.Day == today)
            || (!evenBeforeDeliveryTime && now < calendar.DeliveryInstant(today)))
        {
            return false;
        }

        var request = new QuestionRequest(Difficulty.StartingLevel, State.Asked.ToImmutableDictionary(), []);
        if (await GrainFactory.GetGrain<IQuestionBankGrain>(0).ChooseAsync(request) is not { } choice)
        {
            LogNoQuestion(ChatId);
            return false;
        }

        CloseOpenRounds();
        State.Rounds.Add(new GroupRound { QuestionId = choice.Question.Id, Day = today, PostSequence = ++State.MessageSequence });
        State.Asked[choice.Question.Id] = today;
        await _state.WriteStateAsync();
        await HandOverAsync();
        return true;
    }

    private void CloseOpenRounds()
    {
        foreach (var round in State.Rounds.Where(r => r.IsOpen))
        {
            round.TallySequence = ++State.MessageSequence;
        }
    }

    /// <summary>Hands to the silo's sender each post and tally edit that is stored and not yet sent by this activation.</summary>
    private async Task HandOverAsync()
    {
        var texts = Texts;
        foreach (var round in State.Rounds)
        {
            if (!round.IsPosted && _handedOver.Add(round.PostSequence))
            {
                // A bulk notification, not a reply: on the cluster's broadcast budget.
                _outbound.Enqueue(new OutboundMessage(ChatId, round.PostSequence, ChatId, MessageLane.Daily, OutboundKind.Question,
                    QuestionId: round.QuestionId, Day: round.Day, Language: State.LanguageCode));
            }

            if (round is { TallySequence: { } tallySequence, IsTallied: false } && _handedOver.Add(tallySequence))
            {
                if (round.MessageId is not { } messageId || await _catalog.FindAsync(round.QuestionId, CancellationToken.None) is not { } question)
                {
                    round.IsTallied = true;
                    continue;
                }

                var tally = await _answers.TallyAsync(ChatId, round.QuestionId, round.Day, CancellationToken.None);
                _outbound.Enqueue(new OutboundMessage(ChatId, tallySequence, ChatId, MessageLane.Daily, OutboundKind.Edit,
                    texts.GroupTally(question, tally.Choices, tally.RightNames), messageId));
            }
        }
    }

    private void Reply(string html) =>
        _outbound.Enqueue(new OutboundMessage(0, 0, ChatId, MessageLane.Reply, OutboundKind.Text, html));

    /// <summary>Whether the update was taken already (a redelivery); remembers it otherwise. Update id 0 is never remembered.</summary>
    private bool Seen(long updateId)
    {
        if (updateId == 0)
        {
            return false;
        }

        if (State.RecentUpdateIds.Contains(updateId))
        {
            return true;
        }

        State.RecentUpdateIds.Add(updateId);
        if (State.RecentUpdateIds.Count > RecentUpdatesKept)
        {
            State.RecentUpdateIds.RemoveAt(0);
        }

        return false;
    }

    private Task<IGrainReminder> RegisterReminderAsync()
    {
        var now = _time.GetUtcNow();
        return this.RegisterOrUpdateReminder(DailyReminder, Calendar.NextDeliveryAfter(now) - now, Day);
    }

    private async Task RemoveReminderAsync()
    {
        if (await this.GetReminder(DailyReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {ChatId}: the bot was removed; its daily question stopped")]
    private partial void LogRemoved(long chatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {ChatId}: question {QuestionId} was not posted ({Outcome})")]
    private partial void LogNotPosted(long chatId, string questionId, SendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group {ChatId}: the bank has no question to post")]
    private partial void LogNoQuestion(long chatId);
}
