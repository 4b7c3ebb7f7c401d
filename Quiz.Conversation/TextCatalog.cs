using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text;
using System.Text.RegularExpressions;

namespace Quiz.Conversation;

/// <summary>
/// The bot's texts in one language, read from the assembly's resources. A text names its arguments in braces
/// (<c>{streak}</c>); a plural text has one key per CLDR category (<see cref="PluralRules"/>).
/// </summary>
public sealed partial class TextCatalog
{
    private static readonly ResourceManager Resources = new("Quiz.Conversation.Resources.Texts", typeof(TextCatalog).Assembly);

    public TextCatalog(Language language)
    {
        Language = language;
    }

    public Language Language { get; }

    /// <summary>The text <paramref name="key"/> with each <c>{name}</c> replaced by its argument, which is inserted as given.</summary>
    public string Get(string key, params ReadOnlySpan<(string Name, string Value)> arguments)
    {
        var text = Resources.GetString(key, Language.Culture)
            ?? throw new KeyNotFoundException($"No text '{key}' in the bot's resources.");
        if (arguments.IsEmpty)
        {
            return text;
        }

        var result = new StringBuilder(text);
        foreach (var (name, value) in arguments)
        {
            result.Replace("{" + name + "}", value);
        }

        return result.ToString();
    }

    /// <summary>The plural text <paramref name="key"/> for <paramref name="count"/>, which fills its <c>{count}</c>.</summary>
    public string Plural(string key, long count) =>
        Get($"{key}.{PluralRules.Category(Language, count)}", ("count", count.ToString("N0", Language.Culture)));

    /// <summary>Every text a language's own resources define (without falling back to English), by key.</summary>
    internal static IReadOnlyDictionary<string, string> OwnTexts(Language language)
    {
        var culture = language == Language.English ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language.Code);
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No resources for {language.Code}.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    /// <summary>The argument names a text uses, each once, in order.</summary>
    internal static IReadOnlyList<string> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex Placeholder();
}
