using Orleans.Concurrency;
using Quiz.Sending;

namespace Quiz.Conversation;

/// <summary>Replies that need no learner state, served on the caller's silo without activating a learner.</summary>
[StatelessWorker]
public sealed class ChatReplyGrain : Grain, IChatReplyGrain
{
    private readonly ILearnerMessenger _messenger;

    public ChatReplyGrain(ILearnerMessenger messenger)
    {
        _messenger = messenger;
    }

    public Task ReplyAsync(long chatId, ChatReply reply, string? detail) =>
        _messenger.SendTextAsync(chatId, reply switch
        {
            ChatReply.Help => Texts.Help,
            ChatReply.SlowDown => Texts.SlowDown,
            ChatReply.BadTimeCommand => Texts.BadTimeCommand(detail),
            ChatReply.UnknownTimeZone => Texts.UnknownTimeZone(detail),
            _ => Texts.UnknownText,
        }, CancellationToken.None);

    public Task ToastAsync(string callbackQueryId, TapNotice notice) =>
        _messenger.AnswerTapAsync(callbackQueryId, Texts.UnknownButton, CancellationToken.None);
}
