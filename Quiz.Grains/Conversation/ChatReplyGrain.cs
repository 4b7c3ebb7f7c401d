using Orleans.Concurrency;
using Quiz.Sending;

namespace Quiz.Conversation;

/// <summary>Replies that need no learner, served on the caller's silo without activating one.</summary>
[StatelessWorker]
public sealed class ChatReplyGrain : Grain, IChatReplyGrain
{
    private readonly IOutboundQueue _outbound;

    public ChatReplyGrain(IOutboundQueue outbound)
    {
        _outbound = outbound;
    }

    public Task ReplyAsync(ChatReplyRequest request)
    {
        var html = BotTexts.For(request.LanguageCode).Reply(request.Reply, request.Detail);
        _outbound.Enqueue(new OutboundMessage(0, 0, request.ChatId, MessageLane.Reply, OutboundKind.Text, html));
        return Task.CompletedTask;
    }

    public Task ToastAsync(string callbackQueryId, TapNotice notice, string? languageCode)
    {
        var texts = BotTexts.For(languageCode);
        var text = notice == TapNotice.SlowDown ? texts.SlowDownToast : texts.UnknownButton;
        _outbound.Enqueue(new OutboundMessage(0, 0, 0, MessageLane.Reply, OutboundKind.Toast, text, CallbackQueryId: callbackQueryId));
        return Task.CompletedTask;
    }
}
