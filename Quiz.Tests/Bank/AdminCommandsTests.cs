using System.Text.Json;
using Quiz.Admin;
using Quiz.Bank;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Bank;

[Collection(ClusterCollection.Name)]
public sealed class AdminCommandsTests
{
    private readonly QuizTestCluster _cluster;

    public AdminCommandsTests(ClusterFixture fixture)
    {
        _cluster = fixture.Cluster;
    }

    [Fact]
    public async Task ImportUpsertsAValidFileAndRunningSilosServeIt()
    {
        var id = $"ops-{Guid.NewGuid():N}"[..20];
        var file = await WriteFileAsync(QuestionValidatorTests.Good(id) with
        {
            Topic = "Observability", Level = "Expert",
            Question = $"Operator question {id}: which signal tells how far a consumer group is behind the head of its partitions?",
        });

        var (code, output, _) = await RunAsync("import", file, "--database", _cluster.ConnectionString);

        Assert.Equal(0, code);
        Assert.Contains("1 inserted or changed", output, StringComparison.Ordinal);
        Assert.Equal("imported", await Database.ScalarAsync<string>(_cluster.ConnectionString, "select source from questions where id = @id", ("id", id)));
        var bank = _cluster.Grains.GetGrain<IQuestionBankGrain>(0);
        await ClockExtensions.WaitUntilAsync(
            () => bank.CountQuestionsAsync().GetAwaiter().GetResult().GetValueOrDefault("Observability/Expert") > 16,
            TimeSpan.FromSeconds(60), "the silo's bank cache to pick up the import");
    }

    [Fact]
    public async Task TranslationsAreImportedCorrectedInPlaceAndReadBackByTheSilosSource()
    {
        var id = $"tr-{Guid.NewGuid():N}"[..20];
        var translation = new QuestionTranslationEntry("¿Qué señal indica cuánto va por detrás un grupo de consumidores?", ["uno", "dos", "tres", "cuatro"], "Porque sí.");
        var entry = QuestionValidatorTests.Good(id) with
        {
            Question = $"Translated question {id}: which signal tells how far a consumer group is behind?",
            Translations = new Dictionary<string, QuestionTranslationEntry> { ["es"] = translation },
        };
        Assert.Equal(0, (await RunAsync("import", await WriteFileAsync(entry), "--database", _cluster.ConnectionString)).Code);
        var corrected = entry with { Translations = new Dictionary<string, QuestionTranslationEntry> { ["es"] = translation with { Explanation = "Corregida." } } };

        var (code, output, _) = await RunAsync("import", await WriteFileAsync(corrected), "--database", _cluster.ConnectionString);
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(_cluster.ConnectionString);
        var stored = await new Quiz.Silo.Postgres.PostgresQuestionSource(dataSource).FindAsync(id, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("1 inserted or changed", output, StringComparison.Ordinal);
        Assert.Equal(("Corregida.", translation.Question), (stored!.Translations!["es"].Explanation, stored.In("es").Text));
        Assert.Equal(entry.Question, stored.In("ru").Text);
    }

    [Fact]
    public async Task BadFileSaysWhichQuestionIsWrongAndChangesNothing()
    {
        var good = QuestionValidatorTests.Good($"ops-{Guid.NewGuid():N}"[..20]) with { Question = "A perfectly fine and unique question about idempotent loads?" };
        var threeOptions = QuestionValidatorTests.Good("ops-bad-options") with { Options = ["a", "b", "c"], Question = "Another question entirely, about watermarks?" };
        var file = await WriteFileAsync(good, threeOptions);
        var before = await Database.ScalarAsync<long>(_cluster.ConnectionString, "select count(*) from questions");

        var (code, _, errors) = await RunAsync("import", file, "--database", _cluster.ConnectionString);

        Assert.Equal(1, code);
        Assert.Contains("ops-bad-options: 3 options; exactly 4 are needed", errors, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", errors, StringComparison.Ordinal);
        Assert.Equal(before, await Database.ScalarAsync<long>(_cluster.ConnectionString, "select count(*) from questions"));
    }

    [Fact]
    public async Task ImportRejectsARewordingOfABankQuestion()
    {
        var existing = (await new QuestionStore(_cluster.ConnectionString).ReadAllAsync(true, CancellationToken.None)).First(q => q.Question!.Length > 80);
        var reworded = existing with { Id = "ops-reworded", Question = existing.Question!.Replace("?", " ?", StringComparison.Ordinal).ToUpperInvariant() };
        var file = await WriteFileAsync(reworded);

        var (code, _, errors) = await RunAsync("import", file, "--database", _cluster.ConnectionString);

        Assert.Equal(1, code);
        Assert.Contains($"asks the same as {existing.Id}, already in the bank", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportRefusesToChangeWhatAnIdMeansButCorrectsItsExplanation()
    {
        var id = $"ops-{Guid.NewGuid():N}"[..20];
        var original = QuestionValidatorTests.Good(id) with
        {
            Topic = "Orchestration", Level = "Expert",
            Question = $"Scheduler question {id}: what makes a backfill of a daily partitioned task safe to rerun?",
        };
        Assert.Equal(0, (await RunAsync("import", await WriteFileAsync(original), "--database", _cluster.ConnectionString)).Code);

        var (code, _, errors) = await RunAsync("import", await WriteFileAsync(original with { Correct = (original.Correct + 1) % 4 }), "--database", _cluster.ConnectionString);

        Assert.Equal(1, code);
        Assert.Contains($"{id}: is already in the bank with another topic, level, wording, options or answer", errors, StringComparison.Ordinal);
        Assert.Equal(original.Correct, (int)await Database.ScalarAsync<short>(_cluster.ConnectionString, "select correct_index from questions where id = @id", ("id", id)));

        var corrected = original with { Explanation = original.Explanation + " Corrected." };
        Assert.Equal(0, (await RunAsync("import", await WriteFileAsync(corrected), "--database", _cluster.ConnectionString)).Code);
        Assert.Equal(corrected.Explanation, await Database.ScalarAsync<string>(_cluster.ConnectionString, "select explanation from questions where id = @id", ("id", id)));
    }

    [Fact]
    public async Task DatabaseRefusesAnUpsertThatChangesWhatAnIdMeans()
    {
        var existing = (await new QuestionStore(_cluster.ConnectionString).ReadAllAsync(true, CancellationToken.None))[0];
        var changed = existing with { Options = [.. existing.Options!.Reverse()] };

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Database.ScalarAsync<int>(
            _cluster.ConnectionString, "select quiz_upsert_questions(@bank::jsonb, 'test')", ("bank", JsonSerializer.Serialize(new[] { changed }))));

        Assert.Equal("23514", error.SqlState);
        Assert.Contains(existing.Id!, error.MessageText, StringComparison.Ordinal);
        Assert.Equal(existing.Options!.ToArray(), await Database.ScalarAsync<string[]>(_cluster.ConnectionString, "select options from questions where id = @id", ("id", existing.Id!)));
    }

    [Fact]
    public async Task MalformedFileIsRejected()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "[{\"id\": \"x\", \"unexpected\": true}]");

        var (code, _, errors) = await RunAsync("validate", file);

        Assert.Equal(1, code);
        Assert.Contains("cannot be read as a question file", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetiredQuestionKeepsItsRowAndLeavesSelection()
    {
        var id = $"ops-{Guid.NewGuid():N}"[..20];
        await RunAsync("import", await WriteFileAsync(QuestionValidatorTests.Good(id) with { Question = $"Retire me {id}: what is a tombstone record in a compacted topic?" }), "--database", _cluster.ConnectionString);

        var (code, _, _) = await RunAsync("retire", id, "--database", _cluster.ConnectionString);

        Assert.Equal(0, code);
        Assert.Equal("retired", await Database.ScalarAsync<string>(_cluster.ConnectionString, "select status from questions where id = @id", ("id", id)));
        Assert.DoesNotContain(await new QuestionStore(_cluster.ConnectionString).ReadAllAsync(true, CancellationToken.None), q => q.Id == id);
        Assert.Equal(1, (await RunAsync("retire", "no-such-question", "--database", _cluster.ConnectionString)).Code);
    }

    [Fact]
    public async Task QuestionMarkedRetiredInAFileIsRetiredAndAnOperatorsRestoreOtherwiseStays()
    {
        var id = $"ops-{Guid.NewGuid():N}"[..20];
        var question = QuestionValidatorTests.Good(id) with { Question = $"Retire by file {id}: what does a watermark bound in a stream?" };
        await RunAsync("import", await WriteFileAsync(question), "--database", _cluster.ConnectionString);

        Assert.Equal(0, (await RunAsync("import", await WriteFileAsync(question with { Retired = true }), "--database", _cluster.ConnectionString)).Code);
        Assert.Equal("retired", await StatusAsync(id));

        Assert.Equal(0, (await RunAsync("restore", id, "--database", _cluster.ConnectionString)).Code);
        Assert.Equal(0, (await RunAsync("import", await WriteFileAsync(question), "--database", _cluster.ConnectionString)).Code);
        Assert.Equal("active", await StatusAsync(id));
    }

    [Fact]
    public async Task ShippedBankRetiresTheQuestionsItMarksAndServesTheirReplacements()
    {
        Assert.Equal("retired", await StatusAsync("dq-a-05"));
        Assert.Equal("retired", await StatusAsync("orch-i-16"));
        Assert.Equal("active", await StatusAsync("dq-a-17"));
        var active = await new QuestionStore(_cluster.ConnectionString).ReadAllAsync(true, CancellationToken.None);
        Assert.DoesNotContain(active, q => q.Id == "etl-a-06");
        Assert.Contains(active, q => q.Id == "etl-a-17");
    }

    [Fact]
    public async Task DatabaseBankValidates()
    {
        var (code, output, errors) = await RunAsync("validate", "--database", _cluster.ConnectionString);

        Assert.True(code == 0, errors);
        Assert.Contains("no problems", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await new AdminCommands(output, errors).RunAsync(args, CancellationToken.None);
        return (code, output.ToString(), errors.ToString());
    }

    private static async Task<string> WriteFileAsync(params QuestionFileEntry[] entries)
    {
        var file = Path.Combine(Path.GetTempPath(), $"quiz-import-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(entries));
        return file;
    }

    private Task<string> StatusAsync(string id) =>
        Database.ScalarAsync<string>(_cluster.ConnectionString, "select status from questions where id = @id", ("id", id));
}
