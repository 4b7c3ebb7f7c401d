using Telegram.Bot.Types.Enums;

namespace Quiz.Sandbox;

/// <summary>A group chat (a supergroup) as it stands: its members in the order they joined, and whether the bot is one.</summary>
public sealed record SandboxGroup(long Id, string Title, bool BotIsMember, IReadOnlyList<SandboxGroupMember> Members);

/// <summary>A person in a group; <see cref="Status"/> is Creator, Administrator or Member.</summary>
public sealed record SandboxGroupMember(long UserId, string FirstName, ChatMemberStatus Status)
{
    public bool IsAdmin => Status is ChatMemberStatus.Creator or ChatMemberStatus.Administrator;
}
