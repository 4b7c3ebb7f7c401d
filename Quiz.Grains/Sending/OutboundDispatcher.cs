using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quiz.Bank;

using Quiz.Progress;

namespace Quiz.Sending;

/// <summary>
/// This silo's sender. Replies go at once, in order per chat, limited by <see cref="ChatSendWindow"/>, the silo's
/// <see cref="ReplyBudget"/> and 429s.
/// Daily questions wait in one FIFO and each takes a slot leased from the cluster's <see cref="IBroadcastSchedule"/>.
/// No grain waits here: grains hand messages over after their durable write, and each outcome is confirmed back to the
/// learner's grain. Pacing is about Telegram's real-time window, so it runs on the system clock. See docs/sending.md.
/// </summary>
public sealed partial class OutboundDispatcher : BackgroundService, IOutboundQueue
{
    /// <summary>A slot is used at most this late; a later one is let go rather than bunched with the next.</summary>
    public static readonly TimeSpan LateGuard = TimeSpan.FromMilliseconds(10);

    private const int MaxFailedAttempts = 5;
    private const int ChatsScannedForASlot = 32;

    /// <summary>Another lease is asked for when the slots in hand run out within this time.</summary>
    private static readonly TimeSpan LeaseAhead = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan ChatCleanupInterval = TimeSpan.FromSeconds(10);

    private readonly ILearnerMessenger _messenger;
    private readonly IGrainFactory _grains;
    private readonly IBroadcastSchedule _schedule;
    private readonly QuestionCatalog _catalog;
    private readonly IProgressCharts _charts;
    private readonly SendingOptions _options;
    private readonly QuizMetrics _metrics;
    private readonly ILogger<OutboundDispatcher> _logger;
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly LinkedList<OutboundMessage> _daily = new();
    private readonly Dictionary<long, ChatSendWindow> _chats = [];
    private readonly HashSet<(long LearnerId, long Sequence)> _inHand = [];
    private readonly ReplyBudget _replyBudget;
    private readonly SemaphoreSlim _dailyArrived = new(0);
    private readonly SemaphoreSlim _dailyInFlight;
    private int _repliesQueued;
    private bool _slotsRevoked;

    public OutboundDispatcher(
        ILearnerMessenger messenger,
        IGrainFactory grains,
        IBroadcastSchedule schedule,
        QuestionCatalog catalog,
        IProgressCharts charts,
        IOptions<SendingOptions> options,
        QuizMetrics metrics,
        ILogger<OutboundDispatcher> logger)
    {
        _messenger = messenger;
        _catalog = catalog;
        _charts = charts;
        _grains = grains;
        _schedule = schedule;
        _options = options.Value;
        _replyBudget = new ReplyBudget(_options.RepliesPerSecond, _clock);
        _metrics = metrics;
        _logger = logger;
        _metrics.ObserveQueues(() => DailyQueueLength, () => Volatile.Read(ref _repliesQueued));
        _metrics.BroadcastLimit(_options.BroadcastPerSecond);
        // Daily sends on their way at once: as many as 20 ms of slots, at least one. A send held up (a pause, a new
        // connection) makes the slots behind it go unused rather than queue up and reach Telegram in one burst.
        _dailyInFlight = new SemaphoreSlim(Math.Max(1, (int)Math.Ceiling(_options.BroadcastPerSecond * BroadcastPacing.Headroom * 0.02)));
    }

    public int DailyQueueLength
    {
        get
        {
            lock (_lock)
            {
                return _daily.Count;
            }
        }
    }

    public void Enqueue(OutboundMessage message)
    {
        var queued = message with { QueuedAt = _clock.GetUtcNow() };
        if (message.Kind == OutboundKind.Toast)
        {
            // A toast answers a tap and is no chat message: no lane, no per-chat window, one attempt.
            _ = Task.Run(() => SendAsync(queued, paidBroadcast: false));
            return;
        }

        ChatSendWindow? startDraining = null;
        lock (_lock)
        {
            if (message.IsFromOutbox && !_inHand.Add((message.LearnerId, message.Sequence)))
            {
                return;
            }

            if (message.Lane == MessageLane.Daily)
            {
                _daily.AddLast(queued);
            }
            else
            {
                var chat = Chat(message.ChatId);
                chat.Replies.AddLast(queued);
                _repliesQueued++;
                if (!chat.IsDraining)
                {
                    chat.IsDraining = true;
                    startDraining = chat;
                }
            }
        }

        if (message.Lane == MessageLane.Daily)
        {
            _dailyArrived.Release();
        }
        else if (startDraining is not null)
        {
            _ = Task.Run(() => DrainRepliesAsync(startDraining));
        }
    }

    /// <summary>
    /// The daily lane runs on a thread of its own, not on the thread pool: when a delivery time's reminders fire, the
    /// pool is busy activating thousands of learners, and a slot served late is a slot lost (or, if sent anyway, two
    /// messages bunched together). A dedicated thread keeps to the slots within a millisecond or two.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunDailyLane(stoppingToken);
            }
            finally
            {
                finished.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = "Quiz daily lane",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return finished.Task;
    }

    private void RunDailyLane(CancellationToken stoppingToken)
    {
        var slots = new Queue<DateTimeOffset>();
        var lastSlot = DateTimeOffset.MinValue;
        var nextCleanup = _clock.GetUtcNow() + ChatCleanupInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int queued;
                lock (_lock)
                {
                    queued = _daily.Count;
                    if (_slotsRevoked)
                    {
                        slots.Clear();
                        _slotsRevoked = false;
                    }
                }

                var now = _clock.GetUtcNow();
                if (now >= nextCleanup)
                {
                    ForgetIdleChats(now);
                    nextCleanup = now + ChatCleanupInterval;
                }

                if (queued == 0)
                {
                    _dailyArrived.Wait(ChatCleanupInterval, stoppingToken);
                    continue;
                }

                while (slots.Count > 0 && slots.Peek() < now - LateGuard)
                {
                    slots.Dequeue();
                }

                if (slots.Count < queued && (slots.Count == 0 || lastSlot - now < LeaseAhead))
                {
                    var lease = _schedule.LeaseAsync(queued - slots.Count, stoppingToken).GetAwaiter().GetResult();
                    for (var i = 0; i < lease.Count; i++)
                    {
                        lastSlot = lease.Slot(i);
                        slots.Enqueue(lastSlot);
                    }

                    if (slots.Count == 0)
                    {
                        SleepUntil(lease.RetryAt, stoppingToken);
                        continue;
                    }
                }

                var slot = slots.Peek();
                if (slot > _clock.GetUtcNow())
                {
                    SleepUntil(slot, stoppingToken);
                    continue;
                }

                slots.Dequeue();
                if (!_dailyInFlight.Wait(0, stoppingToken))
                {
                    continue;
                }

                if (TakeDailyForSlot(_clock.GetUtcNow()) is not { } message)
                {
                    _dailyInFlight.Release();
                    continue;
                }

                _ = SendDailyAsync(message, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The schedule unreachable (the database down): ask again shortly.
                LogLeaseFailed(exception);
                slots.Clear();
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    /// <summary>Sleeps until a millisecond before <paramref name="instant"/>, then spins to it.</summary>
    private void SleepUntil(DateTimeOffset instant, CancellationToken stoppingToken)
    {
        var remaining = instant - _clock.GetUtcNow();
        if (remaining > TimeSpan.FromMilliseconds(2) && stoppingToken.WaitHandle.WaitOne(remaining - TimeSpan.FromMilliseconds(1)))
        {
            return;
        }

        var spinner = default(SpinWait);
        while (_clock.GetUtcNow() < instant && !stoppingToken.IsCancellationRequested)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The first queued daily question whose chat may receive a message now; a slot no one can use is let go.</summary>
    private OutboundMessage? TakeDailyForSlot(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_slotsRevoked)
            {
                return null;
            }

            var node = _daily.First;
            for (var scanned = 0; node is not null && scanned < ChatsScannedForASlot; scanned++, node = node.Next)
            {
                var chat = Chat(node.Value.ChatId);
                if (chat.WaitFrom(now) == TimeSpan.Zero)
                {
                    chat.Take(now);
                    _daily.Remove(node);
                    return node.Value;
                }
            }

            return null;
        }
    }

    private async Task SendDailyAsync(OutboundMessage message, CancellationToken stoppingToken)
    {
        var inFlight = true;
        try
        {
            var result = await SendAsync(message, _options.PaidBroadcast);
            switch (result.Status)
            {
                case SendStatus.RateLimited:
                    lock (_lock)
                    {
                        _daily.AddFirst(message);
                        _slotsRevoked = true;
                    }

                    _dailyArrived.Release();
                    LogRateLimited(MessageLane.Daily, result.RetryAfter);
                    await _schedule.PauseAsync(result.RetryAfter, stoppingToken);
                    break;
                case SendStatus.Failed when message.FailedAttempts + 1 < MaxFailedAttempts:
                    await Task.Delay(Backoff(message.FailedAttempts), _clock, stoppingToken);
                    lock (_lock)
                    {
                        _daily.AddFirst(message with { FailedAttempts = message.FailedAttempts + 1 });
                    }

                    _dailyArrived.Release();
                    break;
                default:
                    // The send is over: the next one may go while the learner's grain saves its receipt.
                    _dailyInFlight.Release();
                    inFlight = false;
                    await FinishAsync(message, result);
                    break;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogSendFailed(exception);
        }
        finally
        {
            if (inFlight)
            {
                _dailyInFlight.Release();
            }
        }
    }

    private async Task DrainRepliesAsync(ChatSendWindow chat)
    {
        while (true)
        {
            OutboundMessage message;
            TimeSpan wait;
            await _replyBudget.WaitAsync();
            lock (_lock)
            {
                if (chat.Replies.First is not { } first)
                {
                    chat.IsDraining = false;
                    _replyBudget.Return();
                    return;
                }

                var now = _clock.GetUtcNow();
                wait = chat.WaitFrom(now);
                message = first.Value;
                if (wait == TimeSpan.Zero)
                {
                    chat.Replies.RemoveFirst();
                    _repliesQueued--;
                    chat.Take(now);
                }
            }

            if (wait > TimeSpan.Zero)
            {
                _replyBudget.Return();
                await Task.Delay(wait, _clock);
                continue;
            }

            _replyBudget.Spend();

            var result = await SendAsync(message, paidBroadcast: false);
            if (result.Status == SendStatus.RateLimited || (result.Status == SendStatus.Failed && message.FailedAttempts + 1 < MaxFailedAttempts))
            {
                var retry = result.Status == SendStatus.RateLimited ? message : message with { FailedAttempts = message.FailedAttempts + 1 };
                lock (_lock)
                {
                    // A 429 on a reply concerns this chat: only this chat waits for retry_after.
                    chat.Pause(_clock.GetUtcNow() + (result.Status == SendStatus.RateLimited ? result.RetryAfter : Backoff(message.FailedAttempts)));
                    chat.Replies.AddFirst(retry);
                    _repliesQueued++;
                }

                if (result.Status == SendStatus.RateLimited)
                {
                    LogRateLimited(MessageLane.Reply, result.RetryAfter);
                }

                continue;
            }

            await FinishAsync(message, result);
        }
    }

    private SendResult QuestionNotFound(string questionId)
    {
        // No source knows it any more (deleted from the database or the files): the grain reopens the day.
        LogQuestionNotFound(questionId);
        return SendResult.Rejected;
    }

    private static QuestionToSend Render(Question question, OutboundMessage message)
    {
        var texts = Conversation.BotTexts.For(message.Language);
        // A group's members report nothing through its question: a report is a learner's, about a question they were asked.
        return new QuestionToSend(question, message.Day, texts.Question(question, message.ReviewOf), message.IsForGroup ? null : texts.ReportButton);
    }

    private async Task<SendResult> SendAsync(OutboundMessage message, bool paidBroadcast)
    {
        SendResult result;
        try
        {
            result = message.Kind switch
            {
                OutboundKind.Question => await _catalog.FindAsync(message.QuestionId!, CancellationToken.None) is { } question
                    ? await _messenger.SendQuestionAsync(message.ChatId, Render(question, message), paidBroadcast && message.Lane == MessageLane.Daily, CancellationToken.None)
                    : QuestionNotFound(message.QuestionId!),
                OutboundKind.Edit => await _messenger.EditTextAsync(message.ChatId, message.MessageId!.Value, message.Html!, message.Keyboard, CancellationToken.None),
                OutboundKind.Toast => await _messenger.AnswerTapAsync(message.CallbackQueryId!, message.Html!, CancellationToken.None),
                OutboundKind.Chart => await _charts.RenderAsync(message.ChartOf, message.Language, CancellationToken.None) is { } png
                    ? await _messenger.SendPhotoAsync(message.ChatId, png, message.Html!, CancellationToken.None)
                    : SendResult.Rejected,
                _ => await _messenger.SendTextAsync(message.ChatId, message.Html!, message.Keyboard, CancellationToken.None),
            };
        }
        catch (Exception exception)
        {
            LogSendFailed(exception);
            result = SendResult.Failed;
        }

        _metrics.Send(message.Lane, result.Status);
        if (result.Status == SendStatus.Sent)
        {
            _metrics.QueueWait(message.Lane, _clock.GetUtcNow() - message.QueuedAt);
            if (paidBroadcast && message.Lane == MessageLane.Daily)
            {
                _metrics.PaidBroadcastSent();
            }
        }

        return result;
    }

    private async Task FinishAsync(OutboundMessage message, SendResult result)
    {
        if (!message.IsFromOutbox)
        {
            return;
        }

        var outcome = result.Status switch
        {
            SendStatus.Sent => SendOutcome.Sent,
            SendStatus.Unreachable => SendOutcome.Unreachable,
            SendStatus.Rejected => SendOutcome.Rejected,
            _ => SendOutcome.Failed,
        };
        try
        {
            var receipt = new SendReceipt(message.Sequence, outcome, result.MessageId);
            await (message.IsForGroup
                ? _grains.GetGrain<IGroupGrain>(message.LearnerId).ConfirmSentAsync(receipt)
                : _grains.GetGrain<IUserGrain>(message.LearnerId).ConfirmSentAsync(receipt));
        }
        catch (Exception exception)
        {
            // The entry stays in the learner's outbox and is sent again when the learner's grain activates next.
            LogConfirmFailed(message.LearnerId, message.Sequence, exception);
        }
        finally
        {
            lock (_lock)
            {
                _inHand.Remove((message.LearnerId, message.Sequence));
            }
        }
    }

    private ChatSendWindow Chat(long chatId)
    {
        if (!_chats.TryGetValue(chatId, out var chat))
        {
            // A group also takes at most 20 messages a minute (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
            chat = chatId < 0
                ? new ChatSendWindow(_options.PerChatBurst, _options.GroupMessagesPerMinute)
                : new ChatSendWindow(_options.PerChatBurst);
            _chats[chatId] = chat;
        }

        return chat;
    }

    private void ForgetIdleChats(DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var (chatId, chat) in _chats.Where(c => c.Value.IsIdle(now)).ToList())
            {
                _chats.Remove(chatId);
            }
        }
    }

    public override void Dispose()
    {
        _replyBudget.Dispose();
        base.Dispose();
    }

    private static TimeSpan Backoff(int failedAttempts) => TimeSpan.FromMilliseconds(250 * Math.Pow(2, failedAttempts));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram answered 429 on the {Lane} lane: waiting {RetryAfter} as it asks")]
    private partial void LogRateLimited(MessageLane lane, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not lease broadcast slots; asking again shortly")]
    private partial void LogLeaseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A send failed unexpectedly")]
    private partial void LogSendFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm message {Sequence} to learner {LearnerId}; it stays in their outbox")]
    private partial void LogConfirmFailed(long learnerId, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Question {QuestionId} is in no question source: it cannot be sent")]
    private partial void LogQuestionNotFound(string questionId);
}
