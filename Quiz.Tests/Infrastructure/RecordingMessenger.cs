using System.Collections.Concurrent;
using Quiz.Sending;

namespace Quiz.Tests.Infrastructure;

/// <summary>
/// A messenger for grain tests that records what would be sent; a chat can be made unreachable or failing.
/// (The Telegram edge is tested through the real client against the sandbox instead.)
/// </summary>
public sealed class RecordingMessenger : ILearnerMessenger
{
    private readonly ConcurrentQueue<SentQuestion> _questions = new();
    private readonly ConcurrentQueue<(long ChatId, string Html)> _texts = new();
    private int _nextMessageId;

    public ConcurrentDictionary<long, SendStatus> Outcomes { get; } = new();

    public ConcurrentDictionary<long, int> Attempts { get; } = new();

    public IReadOnlyList<SentQuestion> Sent => [.. _questions];

    public IReadOnlyList<SentQuestion> SentTo(long chatId) => [.. _questions.Where(s => s.ChatId == chatId)];

    public IReadOnlyList<string> TextsTo(long chatId) => [.. _texts.Where(t => t.ChatId == chatId).Select(t => t.Html)];

    public Task<SendResult> SendQuestionAsync(long chatId, Question question, DateOnly day, MessageLane lane, CancellationToken cancellationToken)
    {
        Attempts.AddOrUpdate(chatId, 1, (_, n) => n + 1);
        var status = Outcomes.TryGetValue(chatId, out var forced) ? forced : SendStatus.Sent;
        if (status != SendStatus.Sent)
        {
            return Task.FromResult(new SendResult(status));
        }

        _questions.Enqueue(new SentQuestion(chatId, question, day));
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }

    public Task<SendResult> SendTextAsync(long chatId, string html, CancellationToken cancellationToken)
    {
        if (Outcomes.TryGetValue(chatId, out var forced) && forced != SendStatus.Sent)
        {
            return Task.FromResult(new SendResult(forced));
        }

        _texts.Enqueue((chatId, html));
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }

    public Task EditAnsweredQuestionAsync(long chatId, int messageId, Question question, int choice, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed record SentQuestion(long ChatId, Question Question, DateOnly Day);
