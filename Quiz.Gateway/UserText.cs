using System.Globalization;
using System.Text.RegularExpressions;

namespace Quiz.Gateway;

/// <summary>
/// What a sender controls and the bot stores, made storable: PostgreSQL refuses a NUL in text and in jsonb, so an update
/// carrying one would fail its write on every redelivery. Telegram never sends one; a forged or broken body can.
/// </summary>
public static partial class UserText
{
    /// <summary>An IETF language tag as Telegram gives it (<c>en</c>, <c>pt-br</c>), or null for anything else.</summary>
    public static string? LanguageTag(string? code) => code is not null && Tag().IsMatch(code) ? code : null;

    /// <summary>
    /// Free text without control characters other than line breaks, at most <paramref name="maxLength"/> UTF-16 units
    /// long, cut between text elements: a cut inside a surrogate pair would leave a lone surrogate, which UTF-8 (and so
    /// PostgreSQL) cannot store, and the write would fail on every redelivery.
    /// </summary>
    public static string Note(string text, int maxLength)
    {
        var kept = string.Concat(text.Where(c => !char.IsControl(c) || c == '\n'));
        if (kept.Length <= maxLength)
        {
            return kept;
        }

        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(kept);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= maxLength)
        {
            end = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return kept[..end];
    }

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex Tag();
}
