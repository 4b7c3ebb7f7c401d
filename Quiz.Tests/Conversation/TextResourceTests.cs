using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Quiz.Conversation;

namespace Quiz.Tests.Conversation;

/// <summary>The bot's texts in every language it speaks: complete, with the same arguments and markup, and within Telegram's limits.</summary>
public sealed partial class TextResourceTests
{
    public static TheoryData<string> Translations => new(Language.All.Where(l => l != Language.English).Select(l => l.Code));

    public static TheoryData<string> Languages => new(Language.All.Select(l => l.Code));

    [Theory]
    [MemberData(nameof(Translations))]
    public void EveryTextExistsInEveryLanguageWithTheSamePlaceholdersAndMarkup(string code)
    {
        var language = Language.For(code);
        var english = Texts(Language.English);
        var translated = Texts(language);

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, text =>
        {
            var other = translated[text.Key];
            Assert.True(TextCatalog.Placeholders(text.Value).SequenceEqual(TextCatalog.Placeholders(other)), $"{code} '{text.Key}': placeholders differ");
            Assert.True(Tags(text.Value).SequenceEqual(Tags(other)), $"{code} '{text.Key}': markup differs");
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryPluralTextHasEachOfItsLanguagesCategories(string code)
    {
        var language = Language.For(code);
        var own = TextCatalog.OwnTexts(language).Keys.ToList();
        var plurals = own.Where(k => k.EndsWith("." + PluralRules.Other, StringComparison.Ordinal)).Select(k => k[..k.LastIndexOf('.')]).ToList();

        Assert.Contains("days", plurals);
        Assert.All(plurals, key => Assert.All(PluralRules.CategoriesOf(language), category => Assert.Contains($"{key}.{category}", own)));
    }

    [Theory]
    [InlineData("en", 1, "1 day")]
    [InlineData("en", 0, "0 days")]
    [InlineData("en", 2, "2 days")]
    [InlineData("ru", 1, "1 день")]
    [InlineData("ru", 3, "3 дня")]
    [InlineData("ru", 5, "5 дней")]
    [InlineData("ru", 11, "11 дней")]
    [InlineData("ru", 14, "14 дней")]
    [InlineData("ru", 21, "21 день")]
    [InlineData("ru", 22, "22 дня")]
    [InlineData("ru", 111, "111 дней")]
    [InlineData("es", 1, "1 día")]
    [InlineData("es", 2, "2 días")]
    [InlineData("es", 1_000_000, "1.000.000 de días")]
    public void DaysTakeTheirLanguagesPluralForm(string code, int count, string expected)
    {
        Assert.Equal(expected, BotTexts.For(code).Days(count));
    }

    [Theory]
    [InlineData("ru", "ru")]
    [InlineData("ru-RU", "ru")]
    [InlineData("es-419", "es")]
    [InlineData("ES", "es")]
    [InlineData("en-US", "en")]
    [InlineData("pt-br", "en")]
    [InlineData(null, "en")]
    public void TelegramsLanguageTagChoosesTheBotsLanguageWithEnglishForTheRest(string? tag, string expected)
    {
        Assert.Equal(expected, BotTexts.For(tag).Language.Code);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryMessageRendersWithinTelegramsLimits(string code)
    {
        var texts = BotTexts.For(code);
        var longest = new string('w', 300);
        var question = new Question("dm-e-01", Topics.DataWarehousesAndLakehouses, Level.Intermediate, new string('q', 1_000),
            [longest, longest, longest, longest], 2, new string('<', 3_000), "https://example.org/" + new string('r', 200));
        var next = new DateTimeOffset(2026, 12, 24, 10, 0, 0, TimeSpan.Zero);
        var outcome = new AnswerOutcome(AnswerStatus.Late, question, 1, false, 1_234, Level.Expert, LevelChange.Demoted, next,
            ReviewOf: new DateOnly(2026, 11, 30), NextReview: new DateOnly(2027, 1, 30));
        var stats = new LearnerStats(true, true, Level.Advanced, 1_234, 5_678, 2, 100_000, 99_999,
            [.. Topics.All.Select(t => new TopicStats(t, 50_000, 40_000, 30_000))], "America/Argentina/ComodRivadavia", new TimeOnly(8, 30), next, 1_001, 2_002);

        string[] messages =
        [
            texts.Welcome(true, true), texts.Welcome(false, false), texts.Goodbye, texts.Help, texts.UnknownText, texts.SlowDown,
            texts.BadTimeCommand(new string('<', 32)), texts.BadTimeCommand(null), texts.UnknownTimeZone(new string('&', 32)),
            texts.ScheduleSet(new ScheduleChange(new TimeOnly(23, 59), "America/Argentina/ComodRivadavia", next)), texts.NoQuestionToday,
            texts.Question(question), texts.Question(question, new DateOnly(2026, 11, 30)), texts.AnsweredWithFeedback(outcome, "Europe/Berlin"),
            texts.Stats(stats), texts.LanguageChoice, texts.LanguageSet, texts.UnknownLanguage(new string('x', 32)), texts.TopicsChoice,
            texts.NudgeOn, texts.NudgeOff, texts.BadNudgeCommand, texts.Nudge,
        ];
        string[] toasts =
        [
            texts.Toast(outcome), texts.Toast(outcome with { Status = AnswerStatus.Counted, IsCorrect = true }),
            texts.Toast(outcome with { Status = AnswerStatus.AlreadyAnswered }), texts.Toast(outcome with { Status = AnswerStatus.NotOpen }),
            texts.UnknownButton, texts.ReportThanks, texts.NothingToReport, texts.LastTopicStaysOn, texts.TopicsSaved, texts.LanguageSet,
        ];

        var top = Enumerable.Range(1, 10).Select(i => (i, new string('<', 64), 99_999)).ToList();
        messages = [.. messages, texts.Top(top, top, top, optedIn: false), texts.TopOn, texts.TopOff, texts.BadTopCommand];
        var everyAchievement = Quiz.Rules.Achievements.Catalogue.ToDictionary(a => a, _ => new DateOnly(2026, 12, 31));
        messages = [.. messages, texts.AchievementsList(Quiz.Rules.Achievements.Catalogue, everyAchievement),
            texts.AnsweredWithFeedback(outcome with { Achievements = [.. Quiz.Rules.Achievements.Catalogue] }, "UTC")];
        Assert.All(Quiz.Rules.Achievements.Catalogue, a => Assert.DoesNotContain("achievement.", texts.AchievementName(a), StringComparison.Ordinal));
        Assert.All(messages, m => Assert.InRange(m.Length, 1, BotTexts.MaxMessageLength));
        Assert.All(messages, m => Assert.DoesNotMatch(Placeholder(), m));
        Assert.Contains("…", texts.AnsweredWithFeedback(outcome, "UTC"), StringComparison.Ordinal);
        Assert.All(toasts, t => Assert.InRange(t.Length, 1, BotTexts.MaxToastLength));
        Assert.InRange(texts.StatsChartCaption.Length, 1, BotTexts.MaxCaptionLength);
        Assert.All(texts.TopicsKeyboard(ImmutableArray<string>.Empty).Concat(BotTexts.LanguagesKeyboard()).SelectMany(r => r),
            b => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(b.Data), 1, AnswerCallback.MaxBytes));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void DataInATextIsEscapedInEveryLanguage(string code)
    {
        var html = BotTexts.For(code).UnknownTimeZone("<b>Mars/Olympus</b>");

        Assert.Contains("&lt;b&gt;Mars/Olympus&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Mars", html, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> Texts(Language language) => TextCatalog.OwnTexts(language)
        .Where(t => !IsPluralForm(t.Key))
        .ToDictionary(StringComparer.Ordinal);

    private static bool IsPluralForm(string key) =>
        new[] { PluralRules.One, PluralRules.Few, PluralRules.Many, PluralRules.Other }.Any(c => key.EndsWith("." + c, StringComparison.Ordinal));

    private static IEnumerable<string> Tags(string text) => Tag().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"</?[a-z]+(?: href=""\{url\}"")?>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();
}
