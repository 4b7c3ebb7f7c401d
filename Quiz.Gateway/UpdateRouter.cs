using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Quiz.Gateway;

/// <summary>What became of an update.</summary>
public enum RouteResult
{
    /// <summary>A grain took it; its effect is durable.</summary>
    Handled,

    /// <summary>A kind of update the bot does not act on (edited messages, a group's conversation, stickers...).</summary>
    Ignored,

    /// <summary>The update is not shaped as Telegram sends it (no sender, no id).</summary>
    Malformed,
}

/// <summary>What became of an update, and the toast that answers it when it was a tap answered right away.</summary>
public sealed record RoutedUpdate(RouteResult Result, TapToast? Toast = null)
{
    public static readonly RoutedUpdate Handled = new(RouteResult.Handled);
    public static readonly RoutedUpdate Ignored = new(RouteResult.Ignored);
    public static readonly RoutedUpdate Malformed = new(RouteResult.Malformed);

    public static implicit operator RoutedUpdate(RouteResult result) => result switch
    {
        RouteResult.Ignored => Ignored,
        RouteResult.Malformed => Malformed,
        _ => Handled,
    };
}

/// <summary>A toast for a button tap (<c>answerCallbackQuery</c>).</summary>
public sealed record TapToast(string CallbackQueryId, string Text);

/// <summary>
/// Routes each Telegram update to the learner's grain, or to the stateless reply grain for what needs no state.
/// The learner is the Telegram user who sent the update, never anything the update's data claims.
/// </summary>
public sealed class UpdateRouter
{
    private readonly IGrainFactory _grains;
    private readonly ChatFloodControl _flood;

    public UpdateRouter(IGrainFactory grains, ChatFloodControl flood)
    {
        _grains = grains;
        _flood = flood;
    }

    public async Task<RoutedUpdate> RouteAsync(Update update) => update switch
    {
        { Id: <= 0 } => RoutedUpdate.Malformed,
        { Message: { } message } => await OnMessageAsync(update.Id, message),
        { CallbackQuery: { } tap } => await OnTapAsync(update.Id, tap),
        { MyChatMember: { } membership } => await OnMembershipAsync(update.Id, membership),
        _ => RoutedUpdate.Ignored,
    };

    private async Task<RouteResult> OnMessageAsync(int updateId, Message message)
    {
        if (message.From is not { Id: > 0 } from || message.Chat is null || (message.Chat.Type == ChatType.Private && message.Chat.Id != from.Id))
        {
            // A private chat's id is its user's id: any other pairing would send this learner's replies elsewhere.
            return RouteResult.Malformed;
        }

        if (message.Text is not { } text)
        {
            return RouteResult.Ignored;
        }

        if (IsGroup(message.Chat))
        {
            return await OnGroupMessageAsync(updateId, message.Chat.Id, from, text);
        }

        if (message.Chat.Type != ChatType.Private)
        {
            return RouteResult.Ignored;
        }

        var chatId = message.Chat.Id;
        var language = UserText.LanguageTag(from.LanguageCode);
        if (!await TakeFromFloodAsync(chatId, language))
        {
            return RouteResult.Handled;
        }

        var (command, arguments) = SplitCommand(text);

        var learner = _grains.GetGrain<IUserGrain>(from.Id);
        switch (command)
        {
            case "/start":
                await learner.SubscribeAsync(new Subscription(chatId, language, updateId));
                break;
            case "/stop":
                await learner.UnsubscribeAsync(updateId);
                break;
            case "/stats":
                await learner.ShowStatsAsync();
                break;
            case "/top" when arguments.Length == 0:
                await learner.ShowTopAsync();
                break;
            case "/top":
                await learner.ChangeSettingAsync(new SettingChange(SettingKind.Top, Optional(arguments), updateId, language, DisplayName: DisplayName(from)));
                break;
            case "/league":
                await learner.ChangeSettingAsync(new SettingChange(SettingKind.League, Optional(arguments), updateId, language, DisplayName: DisplayName(from)));
                break;
            case "/achievements":
                await learner.ShowAchievementsAsync();
                break;
            case "/time":
                if (!TimeCommand.TryParse(arguments, out var time, out var error))
                {
                    var quoted = error == ChatReply.UnknownTimeZone ? arguments.Split(' ', 2, StringSplitOptions.TrimEntries)[^1] : arguments;
                    await learner.ReplyAsync(new ChatReplyRequest(chatId, error, quoted, language));
                    break;
                }

                var zone = time!.TimeZoneId ?? (await learner.GetStatsAsync()).TimeZoneId;
                await learner.SetScheduleAsync(time.DeliveryTime, zone);
                break;
            case "/report":
                var note = UserText.Note(arguments, 500);
                await learner.ReportQuestionAsync(new QuestionReport(null, note.Length == 0 ? null : note, null));
                break;
            case "/lang":
                await learner.ChangeSettingAsync(new SettingChange(SettingKind.Language, Optional(arguments), updateId, language));
                break;
            case "/topics":
                await learner.ChangeSettingAsync(new SettingChange(SettingKind.Topic, null, updateId, language));
                break;
            case "/nudge":
                await learner.ChangeSettingAsync(new SettingChange(SettingKind.Nudge, Optional(arguments), updateId, language));
                break;
            case "/help":
                await learner.ReplyAsync(new ChatReplyRequest(chatId, ChatReply.Help, null, language));
                break;
            default:
                await learner.ReplyAsync(new ChatReplyRequest(chatId, ChatReply.UnknownText, null, language));
                break;
        }

        return RouteResult.Handled;
    }

    /// <summary>
    /// A group's commands: <c>/daily</c> (its grain checks the sender is an admin), <c>/top</c> and <c>/help</c>. Anything
    /// else said in a group is the members' conversation, not for the bot.
    /// </summary>
    private async Task<RouteResult> OnGroupMessageAsync(int updateId, long chatId, User from, string text)
    {
        var (command, arguments) = SplitCommand(text);
        if (command is not ("/daily" or "/top" or "/help"))
        {
            return RouteResult.Ignored;
        }

        var language = UserText.LanguageTag(from.LanguageCode);
        if (!await TakeFromFloodAsync(chatId, language))
        {
            return RouteResult.Handled;
        }

        var group = _grains.GetGrain<IGroupGrain>(chatId);
        switch (command)
        {
            case "/daily" when arguments.Equals("off", StringComparison.OrdinalIgnoreCase):
                await group.SetDailyAsync(new GroupDaily(from.Id, null, null, language, updateId));
                break;
            case "/daily" when TimeCommand.TryParse(arguments, out var time, out _):
                await group.SetDailyAsync(new GroupDaily(from.Id, time!.DeliveryTime, time.TimeZoneId, language, updateId));
                break;
            case "/daily":
                await _grains.GetGrain<IChatReplyGrain>(0).ReplyAsync(new ChatReplyRequest(chatId, ChatReply.BadDailyCommand, null, language));
                break;
            case "/top":
                await group.ShowTopAsync(language);
                break;
            default:
                await group.ShowHelpAsync(language);
                break;
        }

        return RouteResult.Handled;
    }

    /// <summary>Whether the chat may be answered now; a flooding chat is told to slow down once, then dropped for a while.</summary>
    private async Task<bool> TakeFromFloodAsync(long chatId, string? language)
    {
        switch (_flood.Check(chatId))
        {
            case FloodVerdict.SlowDown:
                await _grains.GetGrain<IChatReplyGrain>(0).ReplyAsync(new ChatReplyRequest(chatId, ChatReply.SlowDown, null, language));
                return false;
            case FloodVerdict.Drop:
                return false;
            default:
                return true;
        }
    }

    private async Task<RoutedUpdate> OnTapAsync(int updateId, CallbackQuery tap)
    {
        if (tap.From is not { Id: > 0 } from || string.IsNullOrEmpty(tap.Id))
        {
            return RouteResult.Malformed;
        }

        if (tap.Message?.Chat is { } chat && IsGroup(chat))
        {
            return await OnGroupTapAsync(tap, from, chat.Id);
        }

        // Taps have a flood limit too: over it, a toast (no chat message), then nothing.
        switch (_flood.CheckTap(from.Id))
        {
            case FloodVerdict.SlowDown:
                await _grains.GetGrain<IChatReplyGrain>(0).ToastAsync(tap.Id, TapNotice.SlowDown, UserText.LanguageTag(from.LanguageCode));
                return RouteResult.Handled;
            case FloodVerdict.Drop:
                return RouteResult.Handled;
        }

        if (ReportCallback.TryParse(tap.Data, out var reported, out _))
        {
            await _grains.GetGrain<IUserGrain>(from.Id).ReportQuestionAsync(new QuestionReport(reported, null, tap.Id));
            return RouteResult.Handled;
        }

        if (SettingsCallback.TryParse(tap.Data, out var setting, out var value))
        {
            var change = new SettingChange(setting, value, updateId, UserText.LanguageTag(from.LanguageCode), tap.Id, tap.Message?.Id);
            await _grains.GetGrain<IUserGrain>(from.Id).ChangeSettingAsync(change);
            return RouteResult.Handled;
        }

        if (!AnswerCallback.TryParse(tap.Data, out var questionId, out var day, out var choice))
        {
            await _grains.GetGrain<IChatReplyGrain>(0).ToastAsync(tap.Id, TapNotice.UnknownButton, UserText.LanguageTag(from.LanguageCode));
            return RouteResult.Handled;
        }

        var outcome = await _grains.GetGrain<IUserGrain>(from.Id).AnswerAsync(new AnswerSubmission(updateId, questionId, day, choice, tap.Id, tap.Message?.Id));
        return new RoutedUpdate(RouteResult.Handled, outcome.Toast is { } toast ? new TapToast(tap.Id, toast) : null);
    }

    /// <summary>A member's tap under a group's question: their answer counts for the group only.</summary>
    private async Task<RoutedUpdate> OnGroupTapAsync(CallbackQuery tap, User from, long chatId)
    {
        var language = UserText.LanguageTag(from.LanguageCode);
        if (!AnswerCallback.TryParse(tap.Data, out var questionId, out var day, out var choice))
        {
            await _grains.GetGrain<IChatReplyGrain>(0).ToastAsync(tap.Id, TapNotice.UnknownButton, language);
            return RouteResult.Handled;
        }

        var toast = await _grains.GetGrain<IGroupGrain>(chatId).AnswerAsync(new GroupAnswer(from.Id, DisplayName(from), questionId, day, choice, language));
        return new RoutedUpdate(RouteResult.Handled, new TapToast(tap.Id, toast));
    }

    private async Task<RouteResult> OnMembershipAsync(int updateId, ChatMemberUpdated membership)
    {
        if (membership.From is not { Id: > 0 } from || membership.NewChatMember is null)
        {
            return RouteResult.Malformed;
        }

        if (membership.Chat is { } chat && IsGroup(chat))
        {
            // my_chat_member is about the bot itself: added (a member or an admin), or removed.
            var group = _grains.GetGrain<IGroupGrain>(chat.Id);
            switch (membership.NewChatMember.Status)
            {
                case ChatMemberStatus.Member or ChatMemberStatus.Administrator:
                    await group.BotAddedAsync(new GroupJoined(UserText.Note(chat.Title ?? "", 128), from.Id, UserText.LanguageTag(from.LanguageCode), updateId));
                    return RouteResult.Handled;
                case ChatMemberStatus.Left or ChatMemberStatus.Kicked:
                    await group.BotRemovedAsync();
                    return RouteResult.Handled;
                default:
                    return RouteResult.Ignored;
            }
        }

        if (membership.Chat?.Type != ChatType.Private || membership.NewChatMember.Status != ChatMemberStatus.Kicked)
        {
            return RouteResult.Ignored;
        }

        await _grains.GetGrain<IUserGrain>(from.Id).DeactivateAsync();
        return RouteResult.Handled;
    }

    /// <summary>A group or supergroup; Telegram gives groups negative ids, so a positive one is not a group's.</summary>
    private static bool IsGroup(Chat chat) => chat.Type is ChatType.Group or ChatType.Supergroup && chat.Id < 0;

    /// <summary>The name the tops and leagues show: the sender's Telegram first name, at most 64 characters.</summary>
    private static string DisplayName(User from)
    {
        var name = UserText.Note(from.FirstName ?? "", 64).Trim();
        return name.Length == 0 ? "?" : name;
    }

    /// <summary>A command's argument as the learner typed it (at most 32 characters are kept), or null when there is none.</summary>
    private static string? Optional(string arguments) => arguments.Length == 0 ? null : UserText.Note(arguments, 32);

    /// <summary>"/time@QuizBot 08:30 Europe/Berlin" → ("/time", "08:30 Europe/Berlin"); plain text → (text, "").</summary>
    internal static (string Command, string Arguments) SplitCommand(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var head = space < 0 ? trimmed : trimmed[..space];
        var arguments = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (head.StartsWith('/') && at > 0)
        {
            head = head[..at];
        }

        return (head.ToLowerInvariant(), arguments);
    }
}
