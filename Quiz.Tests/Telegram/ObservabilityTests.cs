using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Quiz.Sandbox;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Telegram;

[Collection(TelegramEdgeCollection.Name)]
public sealed partial class ObservabilityTests
{
    private readonly TelegramEdgeFixture _edge;

    public ObservabilityTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    [Fact]
    public async Task GatewayServesHealthInEveryEnvironment()
    {
        using var http = new HttpClient();

        Assert.True((await http.GetAsync(new Uri(_edge.GatewayUrl, "/health/live"))).IsSuccessStatusCode);
        var ready = await http.GetAsync(new Uri(_edge.GatewayUrl, "/health/ready"));
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsEndpointCountsAConversation()
    {
        using var http = new HttpClient();
        var before = await ScrapeAsync(http);
        var user = TelegramEdgeFixture.NewUserId();

        await _edge.Sandbox.SendTextAsync(user, "/start");
        var question = await QuestionAsync(user);
        Assert.True(AnswerCallback.TryParse(question.Buttons[0].CallbackData, out var questionId, out _, out _));
        var correct = await Database.ScalarAsync<short>(_edge.Cluster.ConnectionString, "select correct_index from questions where id = @id", ("id", questionId));
        await _edge.Sandbox.TapAsync(user, question.MessageId, question.Buttons[correct].CallbackData);
        await ClockExtensions.WaitUntilAsync(() => _edge.Sandbox.MessagesIn(user).Any(m => m.Text.Contains("Streak", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the feedback");

        var after = await ScrapeAsync(http, wait: true);
        Assert.Equal(1, Value(after, "quiz_answers_total", "result=\"correct\"") - Value(before, "quiz_answers_total", "result=\"correct\""));
        // Other tests' confirmations may land in between: this conversation adds at least its own.
        Assert.True(Value(after, "quiz_questions_sent_total", null) - Value(before, "quiz_questions_sent_total", null) >= 1);
        // Welcome, question and the edit with the feedback; the toast rides on the webhook's response.
        Assert.True(Value(after, "quiz_telegram_sends_total", "outcome=\"ok\"") - Value(before, "quiz_telegram_sends_total", "outcome=\"ok\"") >= 3);
        Assert.True(Value(after, "quiz_telegram_queue_wait_seconds_count", "lane=\"reply\"") > Value(before, "quiz_telegram_queue_wait_seconds_count", "lane=\"reply\""));
    }

    [Fact]
    public async Task OneTraceRunsFromTheWebhookThroughTheGrainToTheBotApi()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "System.Net.Http" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var user = TelegramEdgeFixture.NewUserId();

        await _edge.Sandbox.SendTextAsync(user, "/stats");

        var webhook = activities.FirstOrDefault(a => a.Kind == ActivityKind.Server && a.OperationName.Contains("AspNetCore", StringComparison.Ordinal)
            && (a.GetTagItem("url.path") as string ?? a.DisplayName).Contains("/telegram/webhook", StringComparison.Ordinal));
        Assert.NotNull(webhook);
        // The reply goes out from the outbox after the webhook's 200, in the same trace.
        Activity? BotCall() => activities.FirstOrDefault(a => a.TraceId == webhook.TraceId && a.Kind == ActivityKind.Client
            && (a.GetTagItem("url.full") as string ?? "").Contains("/sendMessage", StringComparison.Ordinal));
        await ClockExtensions.WaitUntilAsync(() => BotCall() is not null, TimeSpan.FromSeconds(15), "the reply's Bot API call").ContinueWith(_ => { });
        var botCall = BotCall();
        Assert.True(botCall is not null, "no Bot API call in the webhook's trace: " + string.Join(", ", activities.Where(a => a.TraceId == webhook.TraceId).Select(a => $"{a.Source.Name}:{a.DisplayName}")));

        var chain = new List<Activity>();
        var byId = activities.ToDictionary(a => a.SpanId);
        for (var current = botCall; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            chain.Add(current);
        }

        // The sandbox's own delivery POST is the root, as Telegram's would be outside our trace.
        Assert.True(chain.Any(a => a.SpanId == webhook.SpanId), "the chain does not reach the webhook: " + string.Join(" <- ", chain.Select(a => $"{a.Source.Name}:{a.DisplayName}:{a.Kind}:{a.SpanId}/{a.ParentSpanId}")) + $" (webhook {webhook.SpanId})");
        Assert.Contains(chain, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.Kind == ActivityKind.Server);
        Assert.Contains(chain, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.Kind == ActivityKind.Client);
    }

    private async Task<SandboxMessage> QuestionAsync(long user)
    {
        SandboxMessage? question = null;
        await ClockExtensions.WaitUntilAsync(
            () => (question = _edge.Sandbox.MessagesIn(user).FirstOrDefault(m => m.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal)))) is not null,
            TimeSpan.FromSeconds(30), "the question");
        return question!;
    }

    private async Task<string> ScrapeAsync(HttpClient http, bool wait = false)
    {
        if (wait)
        {
            // The exporter caches a scrape briefly; let it expire.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        return await http.GetStringAsync(new Uri(_edge.GatewayUrl, "/metrics"));
    }

    private static double Value(string scrape, string metric, string? label)
    {
        var total = 0.0;
        foreach (Match match in Sample().Matches(scrape))
        {
            if (match.Groups["name"].Value == metric && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
