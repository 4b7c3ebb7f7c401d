using Orleans.Concurrency;
using Quiz.Sending;

namespace Quiz.Conversation;

/// <summary>Replies that need no learner state, served on the caller's silo without activating a learner.</summary>
[StatelessWorker]
public sealed class ChatReplyGrain : Grain, IChatReplyGrain
{
    private readonly IOutboundQueue _outbound;

    public ChatReplyGrain(IOutboundQueue outbound)
    {
        _outbound = outbound;
    }

    public Task ReplyAsync(long chatId, ChatReply reply, string? detail)
    {
        var html = reply switch
        {
            ChatReply.Help => Texts.Help,
            ChatReply.SlowDown => Texts.SlowDown,
            ChatReply.BadTimeCommand => Texts.BadTimeCommand(detail),
            ChatReply.UnknownTimeZone => Texts.UnknownTimeZone(detail),
            _ => Texts.UnknownText,
        };
        _outbound.Enqueue(new OutboundMessage(0, 0, chatId, MessageLane.Reply, OutboundKind.Text, html));
        return Task.CompletedTask;
    }

    public Task ToastAsync(string callbackQueryId, TapNotice notice)
    {
        _outbound.Enqueue(new OutboundMessage(0, 0, 0, MessageLane.Reply, OutboundKind.Toast, Texts.UnknownButton, CallbackQueryId: callbackQueryId));
        return Task.CompletedTask;
    }
}
