using Quiz.Bank;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Bank;

public sealed class QuestionValidatorTests
{
    [Fact]
    public async Task ShippedBankPassesEveryRule()
    {
        var bank = new List<QuestionFileEntry>();
        foreach (var file in QuestionFile.BankFiles(Path.Combine(RepositoryRoot.Path, "sql", "questions")))
        {
            bank.AddRange(await QuestionFile.ReadAsync(file, CancellationToken.None));
        }

        var problems = QuestionValidator.ValidateBank(bank);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(bank.Count >= 540, $"the bank has {bank.Count} questions");
        Assert.All(QuestionValidator.LetterSpread(bank), s => Assert.InRange(s.Share, 0.20, 0.30));
    }

    [Fact]
    public void GoodQuestionHasNoProblem() => Assert.Empty(QuestionValidator.Validate([Good("dm-x-01")]));

    [Theory]
    [InlineData("three options", "options")]
    [InlineData("two correct", "correct")]
    [InlineData("no correct", "correct")]
    [InlineData("same options", "same thing")]
    [InlineData("long question", "at most 300")]
    [InlineData("long option", "at most 120")]
    [InlineData("long explanation", "at most 800")]
    [InlineData("all of the above", "catch-all")]
    [InlineData("bad topic", "unknown topic")]
    [InlineData("bad level", "unknown level")]
    [InlineData("bad id", "the id must be")]
    [InlineData("http reference", "https")]
    public void EachRuleRejectsWithAMessage(string defect, string expected)
    {
        var good = Good("dm-x-02");
        var bad = defect switch
        {
            "three options" => good with { Options = ["a", "b", "c"] },
            "two correct" => good with { Correct = 5 },
            "no correct" => good with { Correct = null },
            "same options" => good with { Options = ["Kafka", "kafka ", "Flink", "Spark"] },
            "long question" => good with { Question = new string('q', 301) },
            "long option" => good with { Options = ["a", new string('b', 121), "c", "d"] },
            "long explanation" => good with { Explanation = new string('e', 801) },
            "all of the above" => good with { Options = ["a", "b", "c", "All of the above"] },
            "bad topic" => good with { Topic = "Cooking" },
            "bad level" => good with { Level = "Guru" },
            "bad id" => good with { Id = "Bad Id!" },
            "http reference" => good with { Reference = "http://example.com/x" },
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        var problems = QuestionValidator.Validate([bad]);

        Assert.Contains(problems, p => p.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateIdsAndRewordedQuestionsAreFound()
    {
        var first = Good("dm-x-03") with { Question = "Which join strategy avoids a shuffle when one side is small enough to copy to every executor?" };
        var reworded = Good("dm-x-04") with { Question = "Which join strategy avoids a shuffle when one side is small enough to be copied to every executor?" };
        var sameId = Good("dm-x-03") with { Question = "What does a surrogate key identify in a dimension table?" };

        var problems = QuestionValidator.Validate([first, reworded, sameId]);

        Assert.Contains(problems, p => p.QuestionId == "dm-x-03" && p.Message.Contains("used 2 times", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("asks the same as dm-x-04", StringComparison.Ordinal));
    }

    [Fact]
    public void BankRulesNeedFifteenPerCellAndAnEvenLetterSpread()
    {
        var bank = Enumerable.Range(0, 20).Select(i => Good($"dm-y-{i:00}") with { Question = $"Question number {i} about a distinct idea {i * 7919}?", Correct = 0 }).ToList();

        var problems = QuestionValidator.ValidateBank(bank);

        Assert.Contains(problems, p => p.Message.Contains("Streaming / Beginner has 0 questions", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("the correct option is A in 100", StringComparison.Ordinal));
    }

    [Fact]
    public void RetiredQuestionsKeepTheirIdsButLeaveTheBanksRules()
    {
        var bank = Enumerable.Range(0, 20).Select(i => Good($"dm-y-{i:00}") with { Question = $"Question number {i} about a distinct idea {i * 7919}?", Correct = i % 4 }).ToList();
        var retiredTwin = bank[0] with { Id = "dm-y-90", Retired = true };
        var retiredReusingAnId = Good("dm-y-01") with { Question = "An old question whose id a new one took", Retired = true };
        var retiredMalformed = Good("dm-y-91") with { Options = ["only one"], Retired = true };

        var problems = QuestionValidator.ValidateBank([.. bank, retiredTwin, retiredReusingAnId, retiredMalformed]);

        Assert.DoesNotContain(problems, p => p.Message.Contains("asks the same", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.QuestionId == "dm-y-01" && p.Message.Contains("used 2 times", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.QuestionId == "dm-y-91");
        // Counted, the three retired ones (all answered A) would tip the letters to A in 35 % of the bank.
        Assert.DoesNotContain(problems, p => p.Message.Contains("the correct option is", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShippedFilesServeARetiredQuestionByIdButNeverChooseIt()
    {
        var source = new FileQuestionSource(Path.Combine(RepositoryRoot.Path, "sql", "questions"));

        var active = await source.LoadActiveAsync(CancellationToken.None);

        Assert.DoesNotContain(active, q => q.Id == "dq-a-05");
        Assert.Contains(active, q => q.Id == "dq-a-17");
        Assert.Equal("dq-a-05", (await source.FindAsync("dq-a-05", CancellationToken.None))?.Id);
    }

    [Fact]
    public void TranslationIsCheckedLikeTheEnglishAndOnlyIntoLanguagesTheBotSpeaks()
    {
        var good = Good("dm-x-01");
        var translation = new QuestionTranslationEntry("¿Qué es?", ["uno", "dos", "tres", "cuatro"], "Porque sí.");
        var translated = good with { Translations = new Dictionary<string, QuestionTranslationEntry> { ["es"] = translation } };
        var threeOptions = good with { Translations = new Dictionary<string, QuestionTranslationEntry> { ["ru"] = translation with { Options = ["a", "b", "c"] } } };
        var emptyExplanation = good with { Translations = new Dictionary<string, QuestionTranslationEntry> { ["es"] = translation with { Explanation = " " } } };
        var german = good with { Translations = new Dictionary<string, QuestionTranslationEntry> { ["de"] = translation } };

        Assert.Empty(QuestionValidator.Validate([translated]));
        Assert.Equal("the ru translation: 3 options; exactly 4 are needed", Assert.Single(QuestionValidator.Validate([threeOptions])).Message);
        Assert.Equal("the es translation: the explanation is empty", Assert.Single(QuestionValidator.Validate([emptyExplanation])).Message);
        Assert.Contains("'de', which the bot does not speak", Assert.Single(QuestionValidator.Validate([german])).Message, StringComparison.Ordinal);
        Assert.Equal("¿Qué es?", translated.ToQuestion().In("es").Text);
        Assert.Equal(good.Question, translated.ToQuestion().In("ru").Text);
    }

    [Fact]
    public void QuestionsAreTranslatedIntoExactlyTheLanguagesTheBotSpeaksBesidesEnglish() =>
        Assert.Equal(
            Quiz.Conversation.Language.All.Where(l => l != Quiz.Conversation.Language.English).Select(l => l.Code),
            QuestionTranslation.Languages);

    internal static QuestionFileEntry Good(string id) => new(
        id, "Data Modeling", "Beginner", "What does a surrogate key give a dimension row?",
        ["A meaningless stable identifier", "The source system's business key", "A foreign key to the fact table", "A hash of every attribute"],
        0, "A surrogate key is a warehouse-assigned identifier with no business meaning, so it stays stable when source keys change.",
        "https://www.postgresql.org/docs/current/ddl-constraints.html");
}
