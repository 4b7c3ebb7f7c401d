namespace Quiz.Conversation;

/// <summary>
/// The CLDR plural category of a whole number in each language the bot speaks
/// (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html). A plural text has one key per
/// category its language uses: <c>days.one</c>, <c>days.few</c>, <c>days.many</c>, <c>days.other</c>.
/// </summary>
public static class PluralRules
{
    public const string One = "one";
    public const string Few = "few";
    public const string Many = "many";
    public const string Other = "other";

    /// <summary>The categories a language's plural texts must each have.</summary>
    public static IReadOnlyList<string> CategoriesOf(Language language) => language.Code switch
    {
        "ru" => [One, Few, Many, Other],
        "es" => [One, Many, Other],
        _ => [One, Other],
    };

    public static string Category(Language language, long count)
    {
        var n = Math.Abs(count);
        return language.Code switch
        {
            // ru: one = i%10=1 and i%100!=11; few = i%10=2..4 and i%100!=12..14; many = the other integers.
            "ru" when n % 10 == 1 && n % 100 != 11 => One,
            "ru" when n % 10 is >= 2 and <= 4 && n % 100 is < 12 or > 14 => Few,
            "ru" => Many,
            // es: one = 1; many = a non-zero multiple of a million ("1000000 de días").
            "es" when n == 1 => One,
            "es" when n != 0 && n % 1_000_000 == 0 => Many,
            _ => n == 1 ? One : Other,
        };
    }
}
