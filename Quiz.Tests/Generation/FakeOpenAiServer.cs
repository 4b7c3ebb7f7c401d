using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quiz.Bank;

namespace Quiz.Tests.Generation;

/// <summary>
/// An OpenAI-compatible chat completions server on loopback (Kestrel on a free port), answering <c>POST /v1/chat/completions</c>
/// from a script of responses in order and recording every request. A request beyond the script gets a 418, which
/// the generator does not retry, and is counted in <see cref="UnscriptedRequests"/>.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Queue<ScriptedResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _lock = new();
    private int _unscripted;

    private FakeOpenAiServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>The base URL to configure as <c>OpenAI:Endpoint</c>: the client appends <c>/chat/completions</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public int UnscriptedRequests => Volatile.Read(ref _unscripted);

    /// <summary>Starts a server; <paramref name="clock"/> stamps the recorded requests (the test's fake clock, so waits can be measured).</summary>
    public static async Task<FakeOpenAiServer> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, clock ?? TimeProvider.System);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/chat/completions", server.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    public FakeOpenAiServer Enqueue(params ScriptedResponse[] responses)
    {
        lock (_lock)
        {
            foreach (var response in responses)
            {
                _script.Enqueue(response);
            }
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        ScriptedResponse? scripted;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), JsonNode.Parse(body)!, _clock.GetUtcNow()));
            _script.TryDequeue(out scripted);
        }

        if (scripted is null)
        {
            Interlocked.Increment(ref _unscripted);
            await WriteErrorAsync(context, 418, "unscripted", "The test scripted no response for this request.");
            return;
        }

        if (scripted.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(scripted.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up first, as scripted
            }
        }

        foreach (var (name, value) in scripted.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (scripted.Status != StatusCodes.Status200OK)
        {
            await WriteErrorAsync(context, scripted.Status, scripted.ErrorCode ?? "error", scripted.ErrorMessage ?? "Scripted failure.");
            return;
        }

        var request = JsonNode.Parse(body)!;
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24],
            ["object"] = "chat.completion",
            ["created"] = _clock.GetUtcNow().ToUnixTimeSeconds(),
            ["model"] = scripted.Model ?? request["model"]?.GetValue<string>() ?? "unknown",
            ["system_fingerprint"] = "fp_fake",
            ["choices"] = new JsonArray
            {
                new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject
                    {
                        ["role"] = "assistant",
                        ["content"] = scripted.Content,
                        ["refusal"] = scripted.Refusal,
                    },
                    ["logprobs"] = null,
                    ["finish_reason"] = scripted.FinishReason,
                },
            },
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = body.Length / 4,
                ["completion_tokens"] = (scripted.Content?.Length ?? 0) / 4,
                ["total_tokens"] = body.Length / 4 + (scripted.Content?.Length ?? 0) / 4,
            },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(completion.ToJsonString(), context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var error = new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = code, ["param"] = null, ["code"] = code },
        };
        await context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
    }
}

/// <summary>One request as the server received it.</summary>
public sealed record RecordedRequest(string Path, string Authorization, JsonNode Body, DateTimeOffset ReceivedAt)
{
    public string? Message(string role) =>
        Body["messages"]!.AsArray().FirstOrDefault(m => m!["role"]!.GetValue<string>() == role)?["content"]?.GetValue<string>();
}

/// <summary>What the fake server answers to one request.</summary>
public sealed record ScriptedResponse
{
    public int Status { get; init; } = StatusCodes.Status200OK;

    public string? Content { get; init; }

    public string? Refusal { get; init; }

    public string FinishReason { get; init; } = "stop";

    public string? Model { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public TimeSpan Delay { get; init; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>A completion whose message content is exactly <paramref name="content"/>.</summary>
    public static ScriptedResponse Answer(string content) => new() { Content = content };

    /// <summary>A completion holding a question as the schema asks for it; <paramref name="correct"/> is any JSON, to script wrong shapes.</summary>
    public static ScriptedResponse Question(string question, string[] options, JsonNode? correct, string explanation, string reference = "") =>
        Answer(new JsonObject
        {
            ["question"] = question,
            ["options"] = new JsonArray([.. options.Select(o => (JsonNode?)JsonValue.Create(o))]),
            ["correct"] = correct,
            ["explanation"] = explanation,
            ["reference"] = reference,
        }.ToJsonString());

    /// <summary>A good Streaming question that passes every rule; its correct option is the first, <see cref="ValidQuestionAnswer"/>.</summary>
    public static ScriptedResponse ValidQuestion() => Question(
        "A Kafka consumer commits offsets before processing each batch. What happens to the batch if the consumer crashes mid-batch?",
        [
            "The unprocessed rest of the batch is skipped",
            "The whole batch is delivered again to the next consumer",
            "The broker rolls the committed offset back automatically",
            "The batch is moved to a dead-letter topic",
        ],
        0,
        "Committing before processing gives at-most-once delivery: the committed offset already points past the batch, so after the crash the next consumer starts after it and the rest is lost. Redelivery of the whole batch is what committing after processing gives.",
        "https://kafka.apache.org/documentation/#semantics");

    public const string ValidQuestionAnswer = "The unprocessed rest of the batch is skipped";

    public static ScriptedResponse RateLimited(int retryAfterSeconds) => new()
    {
        Status = StatusCodes.Status429TooManyRequests,
        ErrorCode = "rate_limit_exceeded",
        ErrorMessage = "Rate limit reached for requests.",
        Headers = [("retry-after", retryAfterSeconds.ToString(CultureInfo.InvariantCulture))],
    };

    public static ScriptedResponse ServerError(int status = StatusCodes.Status500InternalServerError) => new()
    {
        Status = status,
        ErrorCode = "server_error",
        ErrorMessage = "The server had an error while processing your request.",
    };

    public static ScriptedResponse Unauthorized() => new()
    {
        Status = StatusCodes.Status401Unauthorized,
        ErrorCode = "invalid_api_key",
        ErrorMessage = "Incorrect API key provided.",
    };

    /// <summary>A completion whose content is not JSON: prose around a cut-off object.</summary>
    public static ScriptedResponse InvalidJson() => Answer("Sure! Here is your question: {\"question\": \"What is");

    public static ScriptedResponse ThreeOptions() => Question(
        "Which delivery guarantee does committing Kafka offsets before processing give?",
        ["At-most-once", "At-least-once", "Exactly-once"], 0,
        "Committing first means a crash loses the uncommitted work: at-most-once.");

    /// <summary>A question whose <c>correct</c> is an array of two indexes, breaking the schema.</summary>
    public static ScriptedResponse TwoCorrect() => Question(
        "Which two properties make a Kafka consumer's processing idempotent?",
        ["Deterministic keys", "Upserts in the sink", "Auto-commit", "A larger fetch size"],
        new JsonArray(0, 1),
        "Keys and upserts together make a replay overwrite instead of duplicate.");

    /// <summary><paramref name="bankQuestion"/> asked again with three words added: a rewording the validator must catch.</summary>
    public static ScriptedResponse NearDuplicateOf(QuestionFileEntry bankQuestion) => Question(
        bankQuestion.Question!.TrimEnd('?') + " in a production pipeline?",
        [.. bankQuestion.Options!.Select(o => o + " here")],
        bankQuestion.Correct,
        bankQuestion.Explanation!);

    /// <summary>A valid answer that only comes after <paramref name="delay"/>, longer than the client waits.</summary>
    public static ScriptedResponse Slow(TimeSpan delay) => ValidQuestion() with { Delay = delay };
}
