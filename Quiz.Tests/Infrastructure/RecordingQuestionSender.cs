using System.Collections.Concurrent;
using Quiz.Sending;

namespace Quiz.Tests.Infrastructure;

/// <summary>A question sender for grain tests that records what would be sent; learners can be made unreachable or failing.</summary>
public sealed class RecordingQuestionSender : IQuestionSender
{
    private readonly ConcurrentQueue<SentQuestion> _sent = new();
    private int _nextMessageId;

    public ConcurrentDictionary<long, SendStatus> Outcomes { get; } = new();

    public ConcurrentDictionary<long, int> Attempts { get; } = new();

    public IReadOnlyList<SentQuestion> Sent => [.. _sent];

    public IReadOnlyList<SentQuestion> SentTo(long chatId) => [.. _sent.Where(s => s.ChatId == chatId)];

    public Task<SendResult> SendQuestionAsync(long chatId, Question question, DateOnly day, CancellationToken cancellationToken)
    {
        Attempts.AddOrUpdate(chatId, 1, (_, n) => n + 1);
        var status = Outcomes.TryGetValue(chatId, out var forced) ? forced : SendStatus.Sent;
        if (status != SendStatus.Sent)
        {
            return Task.FromResult(new SendResult(status));
        }

        _sent.Enqueue(new SentQuestion(chatId, question, day));
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }
}

public sealed record SentQuestion(long ChatId, Question Question, DateOnly Day);
