using System.Net;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

/// <summary>Bad input gets a clear error and changes nothing.</summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class WebhookTests
{
    private readonly TelegramEdgeFixture _edge;

    public WebhookTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("test-webhook-secreT")]
    [InlineData("test-webhook-secret-but-longer")]
    public async Task WrongSecretIs401AndTouchesNothing(string? secret)
    {
        var user = TelegramEdgeFixture.NewUserId();

        var status = await _edge.Sandbox.PostRawAsync(StartUpdate(user), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        await AssertUntouchedAsync(user);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"update_id\": \"seven\"}")]
    [InlineData("{\"update_id\": 0, \"message\": {\"message_id\": 1, \"date\": 1, \"chat\": {\"id\": 5, \"type\": \"private\"}, \"text\": \"/start\"}}")]
    public async Task MalformedBodyIs400(string body)
    {
        Assert.Equal(HttpStatusCode.BadRequest, await _edge.Sandbox.PostRawAsync(body, LoopbackGateway.WebhookSecret));
    }

    [Fact]
    public async Task MessageWithoutSenderIs400AndTouchesNothing()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var body = $$$"""{"update_id": 900001, "message": {"message_id": 1, "date": 1, "chat": {"id": {{{user}}}, "type": "private"}, "text": "/start"}}""";

        Assert.Equal(HttpStatusCode.BadRequest, await _edge.Sandbox.PostRawAsync(body, LoopbackGateway.WebhookSecret));
        await AssertUntouchedAsync(user);
    }

    [Fact]
    public async Task OversizedBodyIs413()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var body = StartUpdate(user).Replace("\"/start\"", $"\"/start {new string('x', 100_000)}\"", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await _edge.Sandbox.PostRawAsync(body, LoopbackGateway.WebhookSecret));
        await AssertUntouchedAsync(user);
    }

    [Fact]
    public async Task UpdateKindsWeDoNotHandleAreAcknowledgedAndIgnored()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var body = $$$"""{"update_id": 900002, "edited_message": {"message_id": 1, "date": 1, "chat": {"id": {{{user}}}, "type": "private"}, "from": {"id": {{{user}}}, "is_bot": false, "first_name": "E"}, "text": "/start"}}""";

        Assert.Equal(HttpStatusCode.OK, await _edge.Sandbox.PostRawAsync(body, LoopbackGateway.WebhookSecret));
        await AssertUntouchedAsync(user);
    }

    [Fact]
    public async Task PrivateMessageWhoseChatIsNotItsSendersIs400AndTouchesNeither()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var other = TelegramEdgeFixture.NewUserId();
        var body = StartUpdate(user).Replace($"\"chat\": {{\"id\": {user}", $"\"chat\": {{\"id\": {other}", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, await _edge.Sandbox.PostRawAsync(body, LoopbackGateway.WebhookSecret));
        await AssertUntouchedAsync(user);
        await AssertUntouchedAsync(other);
    }

    [Fact]
    public async Task StartWithControlCharactersInTheLanguageCodeSubscribesWithoutIt()
    {
        var user = TelegramEdgeFixture.NewUserId();
        var body = StartUpdate(user).Replace("\"language_code\": \"en\"", "\"language_code\": \"e\\u0000n\"", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await _edge.Sandbox.PostRawAsync(body, LoopbackGateway.WebhookSecret));
        Assert.True((await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).IsSubscribed);
    }

    private async Task AssertUntouchedAsync(long user)
    {
        Assert.Empty(_edge.Sandbox.MessagesIn(user));
        Assert.False((await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync()).IsSubscribed);
    }

    private static string StartUpdate(long user) =>
        $$$"""{"update_id": {{{900_000 + (user % 1000)}}}, "message": {"message_id": 1, "date": 1700000000, "chat": {"id": {{{user}}}, "type": "private", "first_name": "T"}, "from": {"id": {{{user}}}, "is_bot": false, "first_name": "T", "language_code": "en"}, "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}""";
}
