namespace Quiz.Sandbox;

/// <summary>
/// The chat page's and a local run's hands on group chats, under <c>/sandbox/groups</c>: create one, add a member,
/// add or remove the bot. Writing and tapping in a group go through <c>/sandbox/send</c> and <c>/sandbox/tap</c> with a chatId.
/// </summary>
internal static class GroupEndpoints
{
    public static void Map(RouteGroupBuilder sandbox, SandboxOptions options)
    {
        sandbox.MapGet("/groups", (SandboxState state) => Results.Json(state.Groups));
        sandbox.MapPost("/groups", (SandboxState state, PageCreateGroupRequest body) => Change(state, body.GroupId, () => state.CreateGroup(
            body.GroupId,
            body.Title,
            body.CreatorId ?? options.ChatPageUserId,
            body.CreatorFirstName ?? (body.CreatorId is { } id && id != options.ChatPageUserId ? $"User {id}" : options.ChatPageFirstName))));
        sandbox.MapPost("/groups/{groupId:long}/members", (SandboxState state, long groupId, PageAddMemberRequest body) =>
            Change(state, groupId, () => state.AddMember(groupId, body.UserId, body.FirstName, body.IsAdmin)));
        sandbox.MapPost("/groups/{groupId:long}/add-bot", (SandboxState state, long groupId, PageUserRequest body, CancellationToken ct) =>
            SandboxApp.Deliver(() => state.AddBotToGroupAsync(groupId, body.UserId ?? options.ChatPageUserId, ct)));
        sandbox.MapPost("/groups/{groupId:long}/remove-bot", (SandboxState state, long groupId, PageUserRequest body, CancellationToken ct) =>
            SandboxApp.Deliver(() => state.RemoveBotFromGroupAsync(groupId, body.UserId ?? options.ChatPageUserId, ct)));
    }

    /// <summary>Answers the group as it stands after <paramref name="change"/>, or 400 {status, error} when the sandbox refused it.</summary>
    private static IResult Change(SandboxState state, long groupId, Action change)
    {
        try
        {
            change();
            return Results.Json(state.Groups.Single(g => g.Id == groupId));
        }
        catch (ArgumentException ex)
        {
            return SandboxApp.Refused(ex);
        }
    }
}

internal sealed record PageCreateGroupRequest(long GroupId, string Title, long? CreatorId = null, string? CreatorFirstName = null);

internal sealed record PageAddMemberRequest(long UserId, string FirstName, bool IsAdmin = false);
