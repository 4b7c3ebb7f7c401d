using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace Quiz.Sandbox;

/// <summary>Reads reply_markup as Telegram does: inline keyboards are kept and checked; other kinds have no buttons here.</summary>
internal static class Keyboards
{
    private const int MaxCallbackDataBytes = 64;

    public static InlineKeyboardMarkup? Parse(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } element || !element.TryGetProperty("inline_keyboard", out _))
        {
            // Absent, or a reply keyboard / remove_keyboard / force_reply: no inline buttons under the message.
            return null;
        }

        InlineKeyboardMarkup? markup;
        try
        {
            markup = element.Deserialize<InlineKeyboardMarkup>(JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            throw new BotApiException(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        }

        if (markup?.InlineKeyboard is null)
        {
            throw new BotApiException(400, "Bad Request: can't parse reply keyboard markup JSON object");
        }

        var rows = new List<List<InlineKeyboardButton>>();
        foreach (var row in markup.InlineKeyboard)
        {
            var buttons = (row ?? []).ToList();
            foreach (var button in buttons)
            {
                Validate(button);
            }

            if (buttons.Count > 0)
            {
                rows.Add(buttons);
            }
        }

        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }

    public static bool Same(InlineKeyboardMarkup? a, InlineKeyboardMarkup? b) =>
        string.Equals(Serialize(a), Serialize(b), StringComparison.Ordinal);

    private static string? Serialize(InlineKeyboardMarkup? markup) =>
        markup is null ? null : JsonSerializer.Serialize(markup, JsonBotAPI.Options);

    private static void Validate(InlineKeyboardButton button)
    {
        if (string.IsNullOrEmpty(button.Text))
        {
            throw new BotApiException(400, "Bad Request: can't parse inline keyboard button: Text must be non-empty");
        }

        var hasAction = button.CallbackData is not null || button.Url is not null || button.WebApp is not null
            || button.LoginUrl is not null || button.SwitchInlineQuery is not null || button.SwitchInlineQueryCurrentChat is not null
            || button.SwitchInlineQueryChosenChat is not null || button.CopyText is not null || button.CallbackGame is not null
            || button.Pay;
        if (!hasAction)
        {
            throw new BotApiException(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }

        if (button.CallbackData is { } data && (data.Length == 0 || Encoding.UTF8.GetByteCount(data) > MaxCallbackDataBytes))
        {
            throw new BotApiException(400, "Bad Request: BUTTON_DATA_INVALID");
        }
    }
}
