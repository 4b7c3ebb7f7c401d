using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Quiz.Tests.Telegram;

/// <summary>
/// Group chats in the sandbox, through the real Telegram.Bot client: members and their statuses, the bot added and
/// removed, the 20 messages a minute in one group, members' taps. No webhook is set, so the bot reads its updates
/// with getUpdates. Each test starts its own sandbox on a frozen clock.
/// </summary>
public sealed class SandboxGroupTests
{
    private const string BotToken = "123456:groups-token";
    private const long Group = -1001;
    private const long Creator = 1001;
    private const long Admin = 2002;
    private const long Member = 2003;

    [Fact]
    public async Task GetChatMemberReportsCreatorAdministratorMemberAndLeft()
    {
        await using var sandbox = await StartWithGroupAsync();
        await sandbox.State.AddBotToGroupAsync(Group, Creator);

        var creator = await sandbox.Bot.GetChatMember(Group, Creator);
        var admin = await sandbox.Bot.GetChatMember(Group, Admin);
        var member = await sandbox.Bot.GetChatMember(Group, Member);
        var stranger = await sandbox.Bot.GetChatMember(Group, 4242);
        var bot = await sandbox.Bot.GetChatMember(Group, sandbox.State.BotUser.Id);
        var chat = await sandbox.Bot.GetChat(Group);
        var unknownChat = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.GetChatMember(-1999, Creator));

        Assert.IsType<ChatMemberOwner>(creator);
        Assert.Equal((ChatMemberStatus.Creator, "Ada", true), (creator.Status, creator.User.FirstName, creator.IsAdmin));
        Assert.IsType<ChatMemberAdministrator>(admin);
        Assert.Equal((ChatMemberStatus.Administrator, Admin, "Grace", true), (admin.Status, admin.User.Id, admin.User.FirstName, admin.IsAdmin));
        Assert.Equal((ChatMemberStatus.Member, Member, "Linus", false), (member.Status, member.User.Id, member.User.FirstName, member.IsAdmin));
        Assert.Equal((ChatMemberStatus.Left, 4242L), (stranger.Status, stranger.User.Id));
        Assert.Equal((ChatMemberStatus.Member, true), (bot.Status, bot.User.IsBot));
        Assert.Equal((Group, ChatType.Supergroup, "Data Team"), (chat.Id, chat.Type, chat.Title));
        Assert.Equal(400, unknownChat.ErrorCode);
        Assert.Equal("Bad Request: chat not found", unknownChat.Message);
    }

    [Fact]
    public async Task BotsCallsToAGroupItIsNotInAreRefused403()
    {
        await using var sandbox = await StartWithGroupAsync();

        var beforeJoining = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(Group, "Hello, group"));
        var memberBeforeJoining = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.GetChatMember(Group, Creator));
        var unheard = await sandbox.State.SendGroupTextAsync(Group, Member, "/daily 09:00 Europe/Berlin");
        await sandbox.State.AddBotToGroupAsync(Group, Member);
        var posted = await sandbox.Bot.SendMessage(Group, "Hello, group");
        await sandbox.State.RemoveBotFromGroupAsync(Group, Admin);
        var afterLeaving = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(Group, "Still here?"));
        var editAfterLeaving = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.EditMessageText(Group, posted.Id, "Edited"));

        foreach (var refused in new[] { beforeJoining, memberBeforeJoining, afterLeaving, editAfterLeaving })
        {
            Assert.Equal(403, refused.ErrorCode);
            Assert.Equal("Forbidden: bot is not a member of the supergroup chat", refused.Message);
        }

        Assert.Equal(HttpStatusCode.NoContent, unheard);
        Assert.Equal((Group, ChatType.Supergroup, "Data Team"), (posted.Chat.Id, posted.Chat.Type, posted.Chat.Title));
        Assert.Equal(["Hello, group"], sandbox.State.MessagesIn(Group).Select(m => m.Text));
        Assert.False(Assert.Single(sandbox.State.Groups).BotIsMember);
    }

    [Fact]
    public async Task TwentyFirstMessageInAGroupWithinAMinuteGets429UntilTheOldestLeavesTheWindow()
    {
        await using var sandbox = await StartWithGroupAsync();
        sandbox.State.CreateGroup(-1002, "Other Team", Creator, "Ada");
        await sandbox.State.AddBotToGroupAsync(Group, Creator);
        await sandbox.State.AddBotToGroupAsync(-1002, Creator);
        for (var i = 1; i <= 10; i++)
        {
            await sandbox.Bot.SendMessage(Group, $"Message {i}");
        }

        sandbox.Clock.Advance(TimeSpan.FromSeconds(25));
        for (var i = 11; i <= 20; i++)
        {
            await sandbox.Bot.SendMessage(Group, $"Message {i}");
        }

        var refused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(Group, "Message 21"));
        await sandbox.Bot.SendMessage(-1002, "Another group is not affected");
        await sandbox.Bot.SendMessage(7001, "Nor is a private chat");

        Assert.Equal(429, refused.ErrorCode);
        // The first ten (at t) leave the minute at t + 60; the clock is at t + 25.
        Assert.Equal(35, refused.Parameters?.RetryAfter);
        Assert.Equal(1, sandbox.State.GroupLimited);
        Assert.Equal(1, sandbox.State.TooManyRequests);
        Assert.Equal(0, sandbox.State.PerChatLimited);
        Assert.Equal(20, sandbox.State.MessagesIn(Group).Count);

        sandbox.Clock.Advance(TimeSpan.FromSeconds(34));
        var stillRefused = await Assert.ThrowsAnyAsync<ApiRequestException>(() => sandbox.Bot.SendMessage(Group, "Message 21"));
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        await sandbox.Bot.SendMessage(Group, "Message 21");

        Assert.Equal(1, stillRefused.Parameters?.RetryAfter);
        Assert.Equal(21, sandbox.State.MessagesIn(Group).Count);
        Assert.Equal(2, sandbox.State.GroupLimited);
    }

    [Fact]
    public async Task AddingAndRemovingTheBotSendsMyChatMemberUpdates()
    {
        await using var sandbox = await StartWithGroupAsync();

        Assert.Equal(HttpStatusCode.OK, await sandbox.State.AddBotToGroupAsync(Group, Member));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.State.AddBotToGroupAsync(Group, Creator));
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.State.RemoveBotFromGroupAsync(Group, Member));
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.State.AddBotToGroupAsync(-1999, Creator));
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.RemoveBotFromGroupAsync(Group, Admin));
        var updates = await sandbox.Bot.GetUpdates();

        Assert.Equal(2, updates.Length);
        Assert.All(updates, u => Assert.Equal(UpdateType.MyChatMember, u.Type));
        var (added, removed) = (updates[0].MyChatMember!, updates[1].MyChatMember!);
        Assert.Equal((Group, ChatType.Supergroup, "Data Team"), (added.Chat.Id, added.Chat.Type, added.Chat.Title));
        Assert.Equal((Member, "Linus"), (added.From.Id, added.From.FirstName));
        Assert.Equal((ChatMemberStatus.Left, ChatMemberStatus.Member), (added.OldChatMember.Status, added.NewChatMember.Status));
        Assert.Equal(sandbox.State.BotUser.Id, added.NewChatMember.User.Id);
        Assert.Equal((Group, Admin), (removed.Chat.Id, removed.From.Id));
        Assert.Equal((ChatMemberStatus.Member, ChatMemberStatus.Left), (removed.OldChatMember.Status, removed.NewChatMember.Status));
        Assert.Equal(sandbox.State.BotUser.Id, removed.NewChatMember.User.Id);
    }

    [Fact]
    public async Task MembersMessageAndTapArriveFromThemWithTheGroupAsTheirChat()
    {
        await using var sandbox = await StartWithGroupAsync();
        await sandbox.State.AddBotToGroupAsync(Group, Creator);
        var question = await sandbox.Bot.SendMessage(Group, "Which format is columnar?", replyMarkup: new InlineKeyboardMarkup(
            InlineKeyboardButton.WithCallbackData("CSV", "q:1:a"), InlineKeyboardButton.WithCallbackData("Parquet", "q:1:b")));

        Assert.Equal(HttpStatusCode.OK, await sandbox.State.SendGroupTextAsync(Group, Admin, "/daily 09:00 Europe/Berlin"));
        Assert.Equal(HttpStatusCode.OK, await sandbox.State.TapAsync(Group, Member, question.Id, "q:1:b"));
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.State.TapAsync(Group, 4242, question.Id, "q:1:b"));
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.State.SendGroupTextAsync(Group, 4242, "hi"));
        var updates = (await sandbox.Bot.GetUpdates()).Where(u => u.Type != UpdateType.MyChatMember).ToArray();
        var feedback = await sandbox.Bot.SendMessage(Group, "Linus answered");

        Assert.Equal([UpdateType.Message, UpdateType.CallbackQuery], updates.Select(u => u.Type));
        var message = updates[0].Message!;
        Assert.Equal((Group, ChatType.Supergroup, "Data Team"), (message.Chat.Id, message.Chat.Type, message.Chat.Title));
        Assert.Equal((Admin, "Grace", "/daily 09:00 Europe/Berlin"), (message.From!.Id, message.From.FirstName, message.Text));
        var tap = updates[1].CallbackQuery!;
        Assert.Equal((Member, "Linus", "q:1:b"), (tap.From.Id, tap.From.FirstName, tap.Data));
        Assert.Equal((Group, ChatType.Supergroup, question.Id), (tap.Message!.Chat.Id, tap.Message.Chat.Type, tap.Message.Id));

        await sandbox.Bot.AnswerCallbackQuery(tap.Id, "Noted, Linus");
        var answer = Assert.Single(sandbox.State.CallbackAnswers);
        Assert.Equal(("Noted, Linus", Group, Member), (answer.Text, answer.ChatId, answer.UserId));
        // Before any member wrote, the question was a broadcast; after the members' updates the bot's send is a reply.
        Assert.Equal([(question.Id, true), (feedback.Id, false)], sandbox.State.MessagesIn(Group).Select(m => (m.MessageId, m.IsBroadcast)));
    }

    [Fact]
    public async Task SandboxEndpointsCreateAGroupAndActAsItsMembers()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken });
        var http = sandbox.Http;

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("sandbox/groups", new { groupId = -1005, title = "Ops" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("sandbox/groups/-1005/members", new { userId = 3001, firstName = "Edsger", isAdmin = true })).StatusCode);
        var duplicate = await http.PostAsJsonAsync("sandbox/groups/-1005/members", new { userId = 3001, firstName = "Edsger" });
        var added = await ResultAsync(await http.PostAsJsonAsync("sandbox/groups/-1005/add-bot", new { userId = 3001 }));
        var question = await sandbox.Bot.SendMessage(-1005, "Ready?", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Yes", "ready")));
        var sent = await ResultAsync(await http.PostAsJsonAsync("sandbox/send", new { chatId = -1005, userId = 3001, text = "hello bot" }));
        var tapped = await ResultAsync(await http.PostAsJsonAsync("sandbox/tap", new { chatId = -1005, userId = 3001, messageId = question.Id, data = "ready" }));
        var notMember = await http.PostAsJsonAsync("sandbox/tap", new { chatId = -1005, userId = 4242, messageId = question.Id, data = "ready" });
        var privateSend = await ResultAsync(await http.PostAsJsonAsync("sandbox/send", new { userId = 5005, text = "/start" }));
        var updates = await sandbox.Bot.GetUpdates();
        var tap = updates.Single(u => u.CallbackQuery is not null).CallbackQuery!;
        await sandbox.Bot.AnswerCallbackQuery(tap.Id, "Off we go");
        using var page = JsonDocument.Parse(await http.GetStringAsync("sandbox/messages?chatId=-1005&userId=3001"));
        using var otherMember = JsonDocument.Parse(await http.GetStringAsync("sandbox/messages?chatId=-1005&userId=1001"));
        using var state = JsonDocument.Parse(await http.GetStringAsync("sandbox/state"));

        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal([200, 200, 200, 200], new[] { added, sent, tapped, privateSend });
        Assert.Equal(HttpStatusCode.BadRequest, notMember.StatusCode);
        Assert.Contains(updates, u => u.Message is { Chat: { Id: 5005, Type: ChatType.Private }, Text: "/start" });
        Assert.Contains(updates, u => u.Message is { Chat.Id: -1005, From.Id: 3001, Text: "hello bot" });
        var root = page.RootElement;
        Assert.Equal("Ops", root.GetProperty("group").GetProperty("title").GetString());
        Assert.True(root.GetProperty("group").GetProperty("botIsMember").GetBoolean());
        var memberMessage = root.GetProperty("messages").EnumerateArray().Single(m => !m.GetProperty("fromBot").GetBoolean());
        Assert.Equal(("Edsger", 3001L), (memberMessage.GetProperty("senderName").GetString(), memberMessage.GetProperty("senderId").GetInt64()));
        Assert.Equal(["Off we go"], root.GetProperty("notices").EnumerateArray().Select(n => n.GetProperty("text").GetString()));
        Assert.Empty(otherMember.RootElement.GetProperty("notices").EnumerateArray());
        var group = Assert.Single(state.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal((-1005L, true), (group.GetProperty("id").GetInt64(), group.GetProperty("botIsMember").GetBoolean()));
        Assert.Equal(
            [(1001L, "creator"), (3001L, "administrator")],
            group.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("userId").GetInt64(), m.GetProperty("status").GetString())));
        Assert.Equal(0, state.RootElement.GetProperty("groupLimited").GetInt32());
    }

    [Fact]
    public async Task DemoGroupPageShowsTheBotsQuestionAndThePickedMembersTapReachesTheBot()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken, DemoGroup = true });
        using var browser = Browser.Start();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(new Uri(sandbox.BaseUrl, $"/?chatId={SandboxState.DemoGroupId}&userId={Admin}"));

        wait.Until(b => b.FindElement(By.Id("bot-name")).Text.Contains("Data Team", StringComparison.Ordinal));
        Assert.Equal(["Ada", "Grace", "Linus"], browser.FindElements(By.CssSelector("#member option")).Select(o => o.Text.Split(' ')[0]));
        Assert.Equal(Admin.ToString(System.Globalization.CultureInfo.InvariantCulture), browser.FindElement(By.Id("member")).GetDomProperty("value"));
        browser.FindElement(By.Id("add-bot")).Click();
        var joined = await NextUpdateAsync(sandbox, 0, u => u.MyChatMember is not null);
        Assert.Equal((Admin, ChatMemberStatus.Member), (joined.MyChatMember!.From.Id, joined.MyChatMember.NewChatMember.Status));
        await sandbox.Bot.SendMessage(SandboxState.DemoGroupId, "Which format is columnar?", replyMarkup: new InlineKeyboardMarkup(
            InlineKeyboardButton.WithCallbackData("CSV", "q:1:a"), InlineKeyboardButton.WithCallbackData("Parquet", "q:1:b")));

        wait.Until(b => b.FindElements(By.CssSelector(".message.bot")).Any(m => m.Text.Contains("columnar", StringComparison.Ordinal)));
        browser.FindElement(By.CssSelector($"#member option[value='{Member}']")).Click();
        wait.Until(b => b.FindElements(By.CssSelector(".message.bot .keyboard button")).Single(x => x.Text.Trim() == "Parquet")).Click();
        var tap = await NextUpdateAsync(sandbox, joined.Id + 1, u => u.CallbackQuery is not null);
        await sandbox.Bot.AnswerCallbackQuery(tap.CallbackQuery!.Id, "Linus: Parquet it is");

        Assert.Equal((Member, "Linus", "q:1:b"), (tap.CallbackQuery.From.Id, tap.CallbackQuery.From.FirstName, tap.CallbackQuery.Data));
        Assert.Equal(SandboxState.DemoGroupId, tap.CallbackQuery.Message!.Chat.Id);
        wait.Until(b => b.FindElements(By.CssSelector("#toasts .toast")).Any(t => t.Text.Contains("Parquet it is", StringComparison.Ordinal)));
        var input = browser.FindElement(By.Id("input"));
        input.SendKeys("/daily 09:00 Europe/Berlin");
        browser.FindElement(By.Id("send")).Click();
        var written = await NextUpdateAsync(sandbox, tap.Id + 1, u => u.Message is not null);
        Assert.Equal((Member, SandboxState.DemoGroupId), (written.Message!.From!.Id, written.Message.Chat.Id));
        var mine = wait.Until(b => b.FindElements(By.CssSelector(".message.user")).FirstOrDefault(m => m.Text.Contains("/daily", StringComparison.Ordinal)));
        Assert.Contains("Linus", mine.Text, StringComparison.Ordinal);

        Browser.SaveScreenshot(browser, "group-chat-page.png");
    }

    /// <summary>A sandbox with the group "Data Team": Ada its creator, Grace an administrator, Linus a member; the bot not in it.</summary>
    private static async Task<RunningSandbox> StartWithGroupAsync()
    {
        var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { BotToken = BotToken });
        sandbox.State.CreateGroup(Group, "Data Team", Creator, "Ada");
        sandbox.State.AddMember(Group, Admin, "Grace", isAdmin: true);
        sandbox.State.AddMember(Group, Member, "Linus");
        return sandbox;
    }

    /// <summary>The first update from <paramref name="offset"/> on that matches, long-polling getUpdates for up to 20 s.</summary>
    private static async Task<Update> NextUpdateAsync(RunningSandbox sandbox, int offset, Func<Update, bool> match)
    {
        var updates = await sandbox.Bot.GetUpdates(offset, timeout: 20);
        return updates.FirstOrDefault(match) ?? throw new Xunit.Sdk.XunitException($"No matching update from offset {offset}: got [{string.Join(", ", updates.Select(u => u.Type))}].");
    }

    private static async Task<int> ResultAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetInt32();
    }
}
