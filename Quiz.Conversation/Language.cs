using System.Globalization;

namespace Quiz.Conversation;

/// <summary>A language the bot speaks: its texts are <c>Resources/Texts.{Code}.resx</c> (English is the neutral <c>Texts.resx</c>).</summary>
public sealed record Language(string Code, CultureInfo Culture)
{
    public static readonly Language English = new("en", CultureInfo.GetCultureInfo("en-GB"));
    public static readonly Language Russian = new("ru", CultureInfo.GetCultureInfo("ru-RU"));
    public static readonly Language Spanish = new("es", CultureInfo.GetCultureInfo("es-ES"));

    /// <summary>Every language the bot speaks, English (the fallback) first.</summary>
    public static IReadOnlyList<Language> All { get; } = [English, Russian, Spanish];

    /// <summary>The language for an IETF tag as Telegram gives it (<c>ru</c>, <c>es-419</c>, <c>pt-br</c>): English where the bot does not speak it.</summary>
    public static Language For(string? tag) => TryFind(tag, out var language) ? language : English;

    /// <summary>Finds the language whose code is the primary subtag of <paramref name="tag"/>.</summary>
    public static bool TryFind(string? tag, out Language language)
    {
        var primary = tag?.Split('-', '_')[0];
        language = All.FirstOrDefault(l => string.Equals(l.Code, primary, StringComparison.OrdinalIgnoreCase))!;
        return language is not null;
    }
}
