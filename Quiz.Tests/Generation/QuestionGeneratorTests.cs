using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Quiz.Bank;
using Quiz.Generation;

namespace Quiz.Tests.Generation;

/// <summary>
/// <see cref="QuestionGenerator"/> through the real OpenAI client against <see cref="FakeOpenAiServer"/> on loopback:
/// each way a generation fails is retried or rejected, and counted; backoffs run on a fake clock.
/// </summary>
public sealed class QuestionGeneratorTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-4c1d9e2f-never-in-a-log";
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly QuestionFileEntry[] Bank =
    [
        new("st-int-01", Topics.Streaming, nameof(Level.Intermediate),
            "What does a watermark tell a stream processor about event time?",
            ["That no older events are expected", "That the job checkpointed", "That the source is idle", "That the window closed early"],
            0, "A watermark asserts that events older than it are not expected, so windows up to it can be finalised.", null),
        new("st-int-02", Topics.Streaming, nameof(Level.Intermediate),
            "Why would a team choose a session window over a tumbling window for click streams?",
            ["To cut state size in half", "To group bursts of activity separated by gaps", "To avoid watermarks entirely", "To get exactly-once sinks"],
            1, "Session windows close after a gap of inactivity, matching bursts of user activity; tumbling windows cut at fixed times.", null),
    ];

    private readonly WaitRecordingClock _clock = new(Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ListLogger<QuestionGenerator> _logger = new();
    private FakeOpenAiServer _server = null!;
    private GenerationCounts _counts = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync(_clock);
        _counts = new GenerationCounts(_services.GetRequiredService<IMeterFactory>());
    }

    public async Task DisposeAsync()
    {
        _counts.Dispose();
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task ValidAnswerBecomesAValidatedQuestionWithTheRequestedTopicLevelAndAGenId()
    {
        _server.Enqueue(ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        var question = Assert.IsType<QuestionFileEntry>(result.Question);
        Assert.Matches("^gen-[0-9a-f]{12}$", question.Id);
        Assert.Equal(Topics.Streaming, question.Topic);
        Assert.Equal(nameof(Level.Intermediate), question.Level);
        Assert.Equal(4, question.Options!.Count);
        Assert.Equal("https://kafka.apache.org/documentation/#semantics", question.Reference);
        Assert.Empty(QuestionValidator.Validate([question], Bank));
        Assert.Equal("gpt-4o-mini", result.Model);
        Assert.Equal(GenerationOptions.PromptVersion, result.PromptVersion);
        Assert.Equal(Start, result.GeneratedAt);
        Assert.Equal(1, result.Attempts);
        Assert.Empty(result.Problems);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task RequestCarriesTheStrictJsonSchemaBothPromptsAndTheBearerKey()
    {
        _server.Enqueue(ScriptedResponse.ValidQuestion());

        await GenerateAsync(Generator(), level: Level.Expert);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal($"Bearer {ApiKey}", request.Authorization);
        Assert.Equal("gpt-4o-mini", (string?)request.Body["model"]);

        var format = request.Body["response_format"]!;
        Assert.Equal("json_schema", (string?)format["type"]);
        Assert.Equal(QuestionPrompt.SchemaName, (string?)format["json_schema"]!["name"]);
        Assert.True((bool?)format["json_schema"]!["strict"]);
        var schema = format["json_schema"]!["schema"]!;
        Assert.Equal(["question", "options", "correct", "explanation", "reference"], schema["required"]!.AsArray().Select(n => (string?)n));
        Assert.False((bool?)schema["additionalProperties"]);
        Assert.Equal(4, (int?)schema["properties"]!["options"]!["minItems"]);
        Assert.Equal(4, (int?)schema["properties"]!["options"]!["maxItems"]);
        Assert.Equal([0, 1, 2, 3], schema["properties"]!["correct"]!["enum"]!.AsArray().Select(n => (int)n!));

        var system = request.Message("system")!;
        Assert.Contains("Beginner: vocabulary and basic ideas", system, StringComparison.Ordinal);
        Assert.Contains("Expert: corner cases met in production", system, StringComparison.Ordinal);
        Assert.Contains("all of the above", system, StringComparison.Ordinal);
        Assert.Contains("not given away by its length", system, StringComparison.Ordinal);
        Assert.Contains("question at most 300 characters, each option at most 120, the explanation at most 800", system, StringComparison.Ordinal);
        var user = request.Message("user")!;
        Assert.Contains($"Topic: {Topics.Streaming}", user, StringComparison.Ordinal);
        Assert.Contains("Level: Expert (corner cases met in production)", user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptListsTheBankQuestionsOfTheSameTopicAndLevelToAvoid()
    {
        _server.Enqueue(ScriptedResponse.ValidQuestion(), ScriptedResponse.ValidQuestion());
        var generator = Generator();

        await GenerateAsync(generator, level: Level.Intermediate);
        await GenerateAsync(generator, level: Level.Beginner);

        Assert.Contains(Bank[0].Question!, _server.Requests[0].Message("user"), StringComparison.Ordinal);
        Assert.DoesNotContain(Bank[0].Question!, _server.Requests[1].Message("user"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectOptionMovesToTheLetterTheBankUsesLeast()
    {
        _server.Enqueue(ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        // The bank's answers are A and B; the model's answer (A) goes to C, and its text goes with it.
        Assert.Equal(2, result.Question!.Correct);
        Assert.Equal(ScriptedResponse.ValidQuestionAnswer, result.Question.Options![2]);
        Assert.Equal(4, result.Question.Options.Distinct().Count());
    }

    [Fact]
    public async Task RateLimitedAttemptWaitsTheServersRetryAfterThenSucceeds()
    {
        _server.Enqueue(ScriptedResponse.RateLimited(retryAfterSeconds: 3), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(3)], _clock.Waits);
        Assert.Equal(TimeSpan.FromSeconds(3), _server.Requests[1].ReceivedAt - _server.Requests[0].ReceivedAt);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["rate-limited"] = 1 }, _counts.All);
        Assert.Contains(result.Problems, p => p.StartsWith("attempt 1: rate-limited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryAfterOfOneSecondReplacesTheLongerBackoff()
    {
        _server.Enqueue(ScriptedResponse.ServerError(), ScriptedResponse.RateLimited(retryAfterSeconds: 1), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        // Backoff alone would wait 1 s then 2 s; the 429's retry-after: 1 sets the second wait.
        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Equal([QuestionGenerator.InitialBackoff, TimeSpan.FromSeconds(1)], _clock.Waits);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["rate-limited"] = 1, ["server-error"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task RateLimitAskingForMoreThanAMinuteGivesUpAtOnce()
    {
        _server.Enqueue(ScriptedResponse.RateLimited(retryAfterSeconds: 3600));

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.RateLimited, result.Outcome);
        Assert.Null(result.Question);
        Assert.Single(_server.Requests);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task ServerErrorIsRetriedAfterABackoff()
    {
        _server.Enqueue(ScriptedResponse.ServerError(), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Equal([QuestionGenerator.InitialBackoff], _clock.Waits);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["server-error"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task SlowAnswerTimesOutAndIsRetried()
    {
        _server.Enqueue(ScriptedResponse.Slow(TimeSpan.FromSeconds(10)), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator(o => o.Timeout = TimeSpan.FromMilliseconds(500)));

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["timeout"] = 1 }, _counts.All);
        Assert.Contains(result.Problems, p => p.StartsWith("attempt 1: timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidJsonIsRejectedAndAskedAgainWithoutWaiting()
    {
        _server.Enqueue(ScriptedResponse.InvalidJson(), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Empty(_clock.Waits);
        Assert.Equal(new Dictionary<string, long> { ["invalid-json"] = 1, ["ok"] = 1 }, _counts.All);
        Assert.Contains(result.Problems, p => p.Contains("not JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThreeOptionsAreRejectedAsAnInvalidQuestion()
    {
        _server.Enqueue(ScriptedResponse.ThreeOptions(), ScriptedResponse.ThreeOptions(), ScriptedResponse.ThreeOptions());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.InvalidQuestion, result.Outcome);
        Assert.Null(result.Question);
        Assert.Equal(3, result.Attempts);
        Assert.Contains(result.Problems, p => p.Contains("3 options; exactly 4 are needed", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, long> { ["invalid-question"] = 3 }, _counts.All);
    }

    [Fact]
    public async Task TwoCorrectAnswersAreRejectedAsAnInvalidQuestion()
    {
        _server.Enqueue(ScriptedResponse.TwoCorrect(), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Contains(result.Problems, p => p.Contains("'correct' names 2 options; exactly one option must be correct", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, long> { ["invalid-question"] = 1, ["ok"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task CorrectOptionGivenAwayByLengthIsRejected()
    {
        _server.Enqueue(
            ScriptedResponse.Question(
                "What does a dead-letter queue hold?",
                ["Logs", "Metrics", "Messages that failed processing repeatedly and were set aside for a later look", "Offsets"], 2,
                "A dead-letter queue keeps poison messages out of the main flow; logs and metrics live elsewhere."),
            ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Ok, result.Outcome);
        Assert.Contains(result.Problems, p => p.Contains("its length gives it away", StringComparison.Ordinal));
        Assert.Equal(1, _counts[GenerationOutcomes.InvalidQuestion]);
    }

    [Fact]
    public async Task NearDuplicateOfABankQuestionIsRejected()
    {
        _server.Enqueue(ScriptedResponse.NearDuplicateOf(Bank[0]), ScriptedResponse.NearDuplicateOf(Bank[0]), ScriptedResponse.NearDuplicateOf(Bank[0]));

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Duplicate, result.Outcome);
        Assert.Null(result.Question);
        Assert.Contains(result.Problems, p => p.Contains("asks the same as st-int-01, already in the bank", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, long> { ["duplicate"] = 3 }, _counts.All);
    }

    [Fact]
    public async Task GivesUpAfterMaxAttemptsWithDoublingBackoff()
    {
        _server.Enqueue(ScriptedResponse.ServerError(), ScriptedResponse.ServerError(503), ScriptedResponse.ServerError(502), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.ServerError, result.Outcome);
        Assert.Null(result.Question);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _clock.Waits);
        Assert.Equal(new Dictionary<string, long> { ["server-error"] = 3 }, _counts.All);
        Assert.Equal(3, result.Problems.Count);
    }

    [Fact]
    public async Task UnauthorizedIsNotRetried()
    {
        _server.Enqueue(ScriptedResponse.Unauthorized(), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator());

        Assert.Equal(GenerationOutcomes.Error, result.Outcome);
        Assert.Single(_server.Requests);
        Assert.Contains(result.Problems, p => p.Contains("401", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, long> { ["error"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task DailyBudgetStopsCallsUntilTheNextUtcDay()
    {
        _server.Enqueue(ScriptedResponse.ServerError(), ScriptedResponse.ValidQuestion(), ScriptedResponse.ValidQuestion());
        var generator = Generator(o => o.DailyBudget = 2);

        var first = await GenerateAsync(generator);
        var second = await GenerateAsync(generator);

        Assert.Equal(GenerationOutcomes.Ok, first.Outcome);
        Assert.Equal(GenerationOutcomes.BudgetExhausted, second.Outcome);
        Assert.Equal(0, second.Attempts);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(0, generator.RemainingBudgetToday);

        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 11, 0, 0, 1, TimeSpan.Zero));
        var nextDay = await GenerateAsync(generator);

        Assert.Equal(GenerationOutcomes.Ok, nextDay.Outcome);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(new Dictionary<string, long> { ["budget-exhausted"] = 1, ["ok"] = 2, ["server-error"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task BudgetRunningOutBetweenAttemptsEndsTheRetries()
    {
        _server.Enqueue(ScriptedResponse.ServerError(), ScriptedResponse.ValidQuestion());

        var result = await GenerateAsync(Generator(o => o.DailyBudget = 1));

        Assert.Equal(GenerationOutcomes.BudgetExhausted, result.Outcome);
        Assert.Equal(1, result.Attempts);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task WithoutAnApiKeyGenerationIsOffAndCallsNothing()
    {
        var options = new GenerationOptions { ApiKey = " ", Endpoint = _server.Endpoint.ToString() };
        Assert.False(new GenerationOptions().IsEnabled);
        Assert.False(options.IsEnabled);
        Assert.Throws<InvalidOperationException>(() => QuestionGenerator.CreateClient(options));
        var generator = new QuestionGenerator(null, options, _clock, Metrics(), _logger);

        var result = await GenerateAsync(generator);

        Assert.False(generator.IsEnabled);
        Assert.Equal(GenerationOutcomes.Disabled, result.Outcome);
        Assert.Empty(_server.Requests);
        Assert.Equal(new Dictionary<string, long> { ["disabled"] = 1 }, _counts.All);
    }

    [Fact]
    public async Task ApiKeyNeverReachesTheLogs()
    {
        _server.Enqueue(ScriptedResponse.RateLimited(1), ScriptedResponse.Unauthorized());

        await GenerateAsync(Generator());
        _server.Enqueue(ScriptedResponse.ValidQuestion());
        await GenerateAsync(Generator());

        Assert.NotEmpty(_logger.Entries);
        Assert.All(_logger.Entries, e => Assert.DoesNotContain(ApiKey, e, StringComparison.Ordinal));
    }

    private QuestionGenerator Generator(Action<GenerationOptions>? configure = null)
    {
        var options = new GenerationOptions { ApiKey = ApiKey, Endpoint = _server.Endpoint.ToString() };
        configure?.Invoke(options);
        return new QuestionGenerator(QuestionGenerator.CreateClient(options), options, _clock, Metrics(), _logger);
    }

    private GenerationMetrics Metrics() => new(_services.GetRequiredService<IMeterFactory>());

    private Task<GenerationResult> GenerateAsync(QuestionGenerator generator, Level level = Level.Intermediate) =>
        _clock.RunAsync(generator.GenerateAsync(Topics.Streaming, level, Bank, CancellationToken.None));
}
