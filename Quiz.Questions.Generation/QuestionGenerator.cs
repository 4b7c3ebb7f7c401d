using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using Quiz.Bank;

namespace Quiz.Generation;

/// <summary>
/// Asks a chat model for one question of a topic and level, with structured output under a strict JSON schema, and keeps
/// it only if it passes <see cref="QuestionValidator"/> against the bank. Failure is normal: timeouts, 429, 5xx, broken
/// JSON, wrong questions and rewordings of the bank are retried up to <see cref="GenerationOptions.MaxAttempts"/> times
/// (transport failures after a backoff or the server's <c>Retry-After</c>), every attempt counted in
/// <c>quiz.questions.generated</c>. A per-silo <see cref="GenerationOptions.DailyBudget"/> bounds the calls of each UTC day:
/// register one instance per silo.
/// </summary>
public sealed partial class QuestionGenerator
{
    /// <summary>The first wait after a timeout or a 5xx; doubled for each further attempt.</summary>
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the call gives up.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private const int MaxOutputTokens = 1200;

    private readonly ChatClient? _client;
    private readonly GenerationOptions _options;
    private readonly TimeProvider _time;
    private readonly GenerationMetrics _metrics;
    private readonly ILogger<QuestionGenerator> _logger;
    private readonly Lock _budgetLock = new();
    private DateOnly _budgetDay;
    private int _callsToday;

    /// <summary><paramref name="client"/> comes from <see cref="CreateClient"/>, or is null when generation is off (no API key).</summary>
    public QuestionGenerator(ChatClient? client, GenerationOptions options, TimeProvider timeProvider, GenerationMetrics metrics, ILogger<QuestionGenerator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        _time = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _metrics.ObserveBudget(() => RemainingBudgetToday);
    }

    /// <summary>True when an API key is configured and a client was given.</summary>
    public bool IsEnabled => _options.IsEnabled && _client is not null;

    /// <summary>Calls to the model still allowed today (UTC) on this silo.</summary>
    public int RemainingBudgetToday
    {
        get
        {
            lock (_budgetLock)
            {
                return _options.DailyBudget - (Today() == _budgetDay ? _callsToday : 0);
            }
        }
    }

    /// <summary>
    /// The client for <paramref name="options"/>: its endpoint (or OpenAI's), <see cref="GenerationOptions.Timeout"/> per call,
    /// and no retries of its own, since <see cref="GenerateAsync"/> retries, counts and budgets each attempt itself.
    /// </summary>
    public static ChatClient CreateClient(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            throw new InvalidOperationException($"{GenerationOptions.SectionName}:{nameof(GenerationOptions.ApiKey)} is not set: question generation is off.");
        }

        var clientOptions = new OpenAIClientOptions
        {
            NetworkTimeout = options.Timeout,

            // The default ClientRetryPolicy retries 408/429/5xx and network errors 3 more times (0.8 s doubling, or Retry-After),
            // inside one call: attempts the budget and the metrics would never see. Ours are the only retries.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            clientOptions.Endpoint = new Uri(options.Endpoint);
        }

        return new ChatClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions);
    }

    /// <summary>
    /// One new question of <paramref name="topic"/> at <paramref name="level"/> that passes the validator and asks nothing
    /// <paramref name="existingBank"/> already asks, or a result without a question saying why not. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<GenerationResult> GenerateAsync(string topic, Level level, IReadOnlyList<QuestionFileEntry> existingBank, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(existingBank);

        if (!IsEnabled)
        {
            _metrics.Generation(GenerationOutcomes.Disabled);
            return Failed(GenerationOutcomes.Disabled, [$"no {GenerationOptions.SectionName}:{nameof(GenerationOptions.ApiKey)} is configured: generation is off"], 0);
        }

        ChatMessage[] messages =
        [
            ChatMessage.CreateSystemMessage(QuestionPrompt.System),
            ChatMessage.CreateUserMessage(QuestionPrompt.User(topic, level, existingBank)),
        ];
        var problems = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            if (!TryTakeBudget())
            {
                _metrics.Generation(GenerationOutcomes.BudgetExhausted);
                LogBudgetExhausted(_options.DailyBudget);
                problems.Add($"the daily budget of {_options.DailyBudget} calls is spent until midnight UTC");
                return Failed(GenerationOutcomes.BudgetExhausted, problems, attempt - 1);
            }

            var result = await AttemptAsync(messages, topic, level, existingBank, cancellationToken);
            _metrics.Generation(result.Outcome);
            if (result.Question is not null)
            {
                LogGenerated(result.Question.Id!, topic, level, attempt);
                return new GenerationResult(result.Question, GenerationOutcomes.Ok, problems, result.Model ?? _options.Model,
                    GenerationOptions.PromptVersion, _time.GetUtcNow(), attempt);
            }

            LogAttemptFailed(attempt, _options.MaxAttempts, topic, level, result.Outcome, string.Join("; ", result.Problems));
            problems.Add($"attempt {attempt}: {result.Outcome}: {string.Join("; ", result.Problems)}");
            if (!result.Retryable || attempt >= _options.MaxAttempts)
            {
                return Failed(result.Outcome, problems, attempt);
            }

            var wait = WaitBeforeRetry(result, attempt);
            if (wait > MaxRetryAfter)
            {
                problems.Add($"the server asked to wait {wait.TotalSeconds:F0} s; giving up rather than holding the caller");
                return Failed(result.Outcome, problems, attempt);
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
    }

    private async Task<Attempt> AttemptAsync(ChatMessage[] messages, string topic, Level level, IReadOnlyList<QuestionFileEntry> existingBank, CancellationToken cancellationToken)
    {
        var request = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                QuestionPrompt.SchemaName,
                QuestionPrompt.JsonSchema,
                "One multiple-choice Data Engineering question with exactly one correct option.",
                jsonSchemaIsStrict: true),
            MaxOutputTokenCount = MaxOutputTokens,
        };

        ChatCompletion completion;
        try
        {
            completion = (await _client!.CompleteChatAsync(messages, request, cancellationToken)).Value;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's NetworkTimeout surfaces as a TaskCanceledException ("exceeded the configured timeout").
            return new Attempt(GenerationOutcomes.Timeout, null, [$"no answer within {_options.Timeout.TotalSeconds:0.#} s"], true, null, null);
        }
        catch (ClientResultException ex)
        {
            return FromHttpError(ex);
        }

        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            return new Attempt(GenerationOutcomes.InvalidQuestion, null, [$"the model refused: {completion.Refusal}"], true, null, completion.Model);
        }

        var content = string.Concat(completion.Content.Select(part => part.Text));
        if (completion.FinishReason != ChatFinishReason.Stop)
        {
            return new Attempt(GenerationOutcomes.InvalidJson, null, [$"the answer stopped early ({completion.FinishReason})"], true, null, completion.Model);
        }

        var (question, outcome, problems) = GeneratedQuestionParser.Parse(content, topic, level, existingBank);
        return new Attempt(outcome, question, problems, true, null, completion.Model);
    }

    private Attempt FromHttpError(ClientResultException ex)
    {
        var status = ex.Status;
        var response = ex.GetRawResponse();
        return status switch
        {
            429 => new Attempt(GenerationOutcomes.RateLimited, null, ["429 Too Many Requests"], true, RetryAfter(response), null),
            408 => new Attempt(GenerationOutcomes.Timeout, null, ["408 Request Timeout"], true, RetryAfter(response), null),
            >= 500 => new Attempt(GenerationOutcomes.ServerError, null, [$"{status} from the server"], true, RetryAfter(response), null),

            // No response at all: connection refused or reset, DNS. Transient like a 5xx.
            0 => new Attempt(GenerationOutcomes.ServerError, null, [$"no response: {ex.InnerException?.Message ?? ex.Message}"], true, null, null),
            _ => new Attempt(GenerationOutcomes.Error, null, [$"{status} from the server: {Shorten(response?.Content?.ToString())}"], false, null, null),
        };
    }

    /// <summary>The server's Retry-After if it sent one; else <see cref="InitialBackoff"/> doubled per attempt for transport failures, none for a bad answer.</summary>
    private static TimeSpan WaitBeforeRetry(Attempt failed, int attempt) =>
        failed.RetryAfter
        ?? (failed.Outcome is GenerationOutcomes.Timeout or GenerationOutcomes.RateLimited or GenerationOutcomes.ServerError
            ? InitialBackoff * Math.Pow(2, attempt - 1)
            : TimeSpan.Zero);

    private TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && !string.IsNullOrWhiteSpace(value))
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - _time.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private bool TryTakeBudget()
    {
        lock (_budgetLock)
        {
            var today = Today();
            if (today != _budgetDay)
            {
                _budgetDay = today;
                _callsToday = 0;
            }

            if (_callsToday >= _options.DailyBudget)
            {
                return false;
            }

            _callsToday++;
            return true;
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private GenerationResult Failed(string outcome, IReadOnlyList<string> problems, int attempts) =>
        new(null, outcome, problems, _options.Model, GenerationOptions.PromptVersion, _time.GetUtcNow(), attempts);

    private static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Attempt(string Outcome, QuestionFileEntry? Question, IReadOnlyList<string> Problems, bool Retryable, TimeSpan? RetryAfter, string? Model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated question {QuestionId} ({Topic}, {Level}) on attempt {Attempt}")]
    private partial void LogGenerated(string questionId, string topic, Level level, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation attempt {Attempt} of {MaxAttempts} ({Topic}, {Level}) failed: {Outcome}: {Problems}")]
    private partial void LogAttemptFailed(int attempt, int maxAttempts, string topic, Level level, string outcome, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The daily generation budget of {DailyBudget} calls is spent; no call made")]
    private partial void LogBudgetExhausted(int dailyBudget);
}
