using System.Collections.Concurrent;
using Quiz.Conversation;
using Quiz.Sending;

namespace Quiz.Testing;

/// <summary>
/// The Bot API calls of grain tests, recorded instead of made; a chat can be made unreachable or failing.
/// The silo's real dispatcher drives it, so what the grains owe arrives here shortly after the grain call returns.
/// (The Telegram edge is tested through the real client against the sandbox instead.)
/// </summary>
public sealed class RecordingMessenger : ILearnerMessenger
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<SentQuestion> _questions = new();
    private readonly ConcurrentDictionary<long, ConcurrentQueue<SentQuestion>> _questionsByChat = new();
    private readonly ConcurrentDictionary<long, ConcurrentQueue<string>> _texts = new();
    private readonly ConcurrentDictionary<long, ConcurrentQueue<string>> _edits = new();
    private int _nextMessageId;

    public ConcurrentDictionary<long, SendStatus> Outcomes { get; } = new();

    public ConcurrentDictionary<long, int> Attempts { get; } = new();

    public IReadOnlyList<SentQuestion> Sent => [.. _questions];

    public IReadOnlyList<SentQuestion> SentTo(long chatId) => In(_questionsByChat, chatId);

    public IReadOnlyList<string> TextsTo(long chatId) => In(_texts, chatId);

    public IReadOnlyList<string> EditsTo(long chatId) => In(_edits, chatId);

    /// <summary>Waits until <paramref name="count"/> questions went to the chat, and returns them.</summary>
    public async Task<IReadOnlyList<SentQuestion>> WaitForQuestionsAsync(long chatId, int count = 1)
    {
        await ClockExtensions.WaitUntilAsync(() => SentTo(chatId).Count >= count, Patience, $"{count} question(s) sent to chat {chatId}");
        return SentTo(chatId);
    }

    public async Task<SentQuestion> WaitForQuestionAsync(long chatId) => (await WaitForQuestionsAsync(chatId))[^1];

    public Task<SendResult> SendQuestionAsync(long chatId, QuestionToSend question, bool paidBroadcast, CancellationToken cancellationToken)
    {
        Attempts.AddOrUpdate(chatId, 1, (_, n) => n + 1);
        if (Forced(chatId) is { } forced)
        {
            return Task.FromResult(forced);
        }

        var messageId = Interlocked.Increment(ref _nextMessageId);
        var sent = new SentQuestion(chatId, question.Question, question.Day, messageId, question.Html);
        _questions.Enqueue(sent);
        Chat(_questionsByChat, chatId).Enqueue(sent);
        return Task.FromResult(SendResult.Sent(messageId));
    }

    public Task<SendResult> SendTextAsync(long chatId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken)
    {
        if (Forced(chatId) is { } forced)
        {
            return Task.FromResult(forced);
        }

        Chat(_texts, chatId).Enqueue(html);
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }

    public Task<SendResult> EditTextAsync(long chatId, int messageId, string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken cancellationToken)
    {
        if (Forced(chatId) is { } forced)
        {
            return Task.FromResult(forced);
        }

        Chat(_edits, chatId).Enqueue(html);
        return Task.FromResult(SendResult.Sent(messageId));
    }

    public ConcurrentDictionary<long, byte[]> Photos { get; } = new();

    public Task<SendResult> SendPhotoAsync(long chatId, byte[] png, string caption, CancellationToken cancellationToken)
    {
        if (Forced(chatId) is { } forced)
        {
            return Task.FromResult(forced);
        }

        Photos[chatId] = png;
        return Task.FromResult(SendResult.Sent(Interlocked.Increment(ref _nextMessageId)));
    }

    /// <summary>The group admins, by group and user; anyone else is a plain member.</summary>
    public ConcurrentDictionary<(long ChatId, long UserId), bool> Admins { get; } = new();

    public Task<bool?> IsChatAdminAsync(long chatId, long userId, CancellationToken cancellationToken) =>
        Task.FromResult<bool?>(Admins.ContainsKey((chatId, userId)));

    public Task<SendResult> AnswerTapAsync(string callbackQueryId, string text, CancellationToken cancellationToken) =>
        Task.FromResult(SendResult.Sent(0));

    private static IReadOnlyList<T> In<T>(ConcurrentDictionary<long, ConcurrentQueue<T>> byChat, long chatId) =>
        byChat.TryGetValue(chatId, out var queue) ? [.. queue] : [];

    private static ConcurrentQueue<T> Chat<T>(ConcurrentDictionary<long, ConcurrentQueue<T>> byChat, long chatId) =>
        byChat.GetOrAdd(chatId, _ => new ConcurrentQueue<T>());

    private SendResult? Forced(long chatId) =>
        Outcomes.TryGetValue(chatId, out var status) && status != SendStatus.Sent
            ? status == SendStatus.RateLimited ? SendResult.RateLimited(TimeSpan.FromSeconds(1)) : new SendResult(status)
            : null;
}

public sealed record SentQuestion(long ChatId, Question Question, DateOnly Day, int MessageId, string Html);
