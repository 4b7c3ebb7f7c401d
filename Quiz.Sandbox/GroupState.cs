namespace Quiz.Sandbox;

/// <summary>What a group chat holds beyond its messages. Not thread-safe: used under <see cref="SandboxState"/>'s lock.</summary>
internal sealed class GroupState(string title)
{
    public string Title { get; } = title;

    /// <summary>The people in the group by user id, in the order they joined.</summary>
    public OrderedDictionary<long, SandboxGroupMember> Members { get; } = [];

    public bool BotIsMember { get; set; }

    /// <summary>The bot's accepted sendMessage and sendPhoto calls, for <see cref="SandboxOptions.MaxMessagesPerMinuteInGroup"/>.</summary>
    public SlidingWindow RecentSends { get; } = new();

    public SandboxGroup ToSandboxGroup(long id) => new(id, Title, BotIsMember, [.. Members.Values]);
}
