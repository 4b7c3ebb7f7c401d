using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace Quiz.ServiceDefaults;

/// <summary>
/// Takes the bot token out of every span before it is exported. The Bot API puts the token in the URL's path
/// (<c>/bot123456:ABC.../sendMessage</c>), and the HTTP client spans record <c>url.full</c>, so without this an OTLP
/// backend would hold the token: anyone who can read traces could then act as the bot.
/// </summary>
public sealed partial class BotTokenRedaction : BaseProcessor<Activity>
{
    public const string Redacted = "/bot{token}/";

    public static string Redact(string text) => BotPath().Replace(text, Redacted);

    public override void OnEnd(Activity data)
    {
        foreach (var (key, value) in data.TagObjects.ToList())
        {
            if (value is string text && BotPath().IsMatch(text))
            {
                data.SetTag(key, Redact(text));
            }
        }

        if (BotPath().IsMatch(data.DisplayName))
        {
            data.DisplayName = Redact(data.DisplayName);
        }
    }

    /// <summary>A token in a path: <c>/bot</c>, the bot's id, a colon, the secret part.</summary>
    [GeneratedRegex(@"/bot\d+:[^/?#\s]+/?")]
    private static partial Regex BotPath();
}
