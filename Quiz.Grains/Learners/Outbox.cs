using Quiz.Conversation;
using Quiz.Sending;

namespace Quiz.Learners;

/// <summary>
/// The messages a learner is owed, kept in their state (<see cref="LearnerState.Outbox"/>) so that they are written
/// with the change that owes them and go out even if the silo dies before sending. Each has a sequence number by
/// which the sender confirms it.
/// </summary>
public sealed class Outbox
{
    private readonly LearnerState _state;

    public Outbox(LearnerState state)
    {
        _state = state;
    }

    public IReadOnlyList<OutboxEntry> Entries => _state.Outbox;

    public OutboxEntry Text(string html, List<List<InlineButton>>? keyboard = null, MessageLane lane = MessageLane.Reply) =>
        Add(new OutboxEntry { Kind = OutboundKind.Text, Lane = lane, Html = html, Keyboard = keyboard });

    public OutboxEntry Edit(int messageId, string html, List<List<InlineButton>>? keyboard = null) =>
        Add(new OutboxEntry { Kind = OutboundKind.Edit, Lane = MessageLane.Reply, MessageId = messageId, Html = html, Keyboard = keyboard });

    public OutboxEntry Question(DateOnly day, MessageLane lane) => Add(new OutboxEntry { Kind = OutboundKind.Question, Lane = lane, Day = day });

    /// <summary>Removes and returns entry <paramref name="sequence"/>; null when it was confirmed before.</summary>
    public OutboxEntry? Take(long sequence)
    {
        var index = _state.Outbox.FindIndex(e => e.Sequence == sequence);
        if (index < 0)
        {
            return null;
        }

        var entry = _state.Outbox[index];
        _state.Outbox.RemoveAt(index);
        return entry;
    }

    /// <summary>Drops the questions of the days <paramref name="which"/> picks still waiting to be sent (seen, or their day is over).</summary>
    public bool DropQuestion(Func<DateOnly, bool> which) =>
        _state.Outbox.RemoveAll(e => e.Kind == OutboundKind.Question && e.Day is { } day && which(day)) > 0;

    public void Clear() => _state.Outbox.Clear();

    private OutboxEntry Add(OutboxEntry entry)
    {
        entry.Sequence = ++_state.OutboxSequence;
        _state.Outbox.Add(entry);
        return entry;
    }
}
