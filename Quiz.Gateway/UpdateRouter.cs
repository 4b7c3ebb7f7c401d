using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Quiz.Gateway;

/// <summary>What became of an update.</summary>
public enum RouteResult
{
    /// <summary>A grain took it; its effect is durable.</summary>
    Handled,

    /// <summary>A kind of update the bot does not act on (edited messages, groups, stickers...).</summary>
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
        { MyChatMember: { } membership } => await OnMembershipAsync(membership),
        _ => RoutedUpdate.Ignored,
    };

    private async Task<RouteResult> OnMessageAsync(int updateId, Message message)
    {
        if (message.From is not { Id: > 0 } from || message.Chat is null || (message.Chat.Type == ChatType.Private && message.Chat.Id != from.Id))
        {
            // A private chat's id is its user's id: any other pairing would send this learner's replies elsewhere.
            return RouteResult.Malformed;
        }

        if (message.Chat.Type != ChatType.Private || message.Text is not { } text)
        {
            return RouteResult.Ignored;
        }

        var chatId = message.Chat.Id;
        var language = UserText.LanguageTag(from.LanguageCode);
        switch (_flood.Check(chatId))
        {
            case FloodVerdict.SlowDown:
                await _grains.GetGrain<IChatReplyGrain>(0).ReplyAsync(new ChatReplyRequest(chatId, ChatReply.SlowDown, null, language));
                return RouteResult.Handled;
            case FloodVerdict.Drop:
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

    private async Task<RoutedUpdate> OnTapAsync(int updateId, CallbackQuery tap)
    {
        if (tap.From is not { Id: > 0 } from || string.IsNullOrEmpty(tap.Id))
        {
            return RouteResult.Malformed;
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

    private async Task<RouteResult> OnMembershipAsync(ChatMemberUpdated membership)
    {
        if (membership.From is not { Id: > 0 } from || membership.NewChatMember is null)
        {
            return RouteResult.Malformed;
        }

        if (membership.Chat?.Type != ChatType.Private || membership.NewChatMember.Status != ChatMemberStatus.Kicked)
        {
            return RouteResult.Ignored;
        }

        await _grains.GetGrain<IUserGrain>(from.Id).DeactivateAsync();
        return RouteResult.Handled;
    }

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
