using System.Net;
using System.Text;
using Quiz.Sandbox;
using Quiz.Tests.Deploy;
using Quiz.Tests.Infrastructure;
using Quiz.Tests.Telegram;

namespace Quiz.Tests.Monitoring;

/// <summary>
/// Every metric the alert rules and the dashboard query is one the running system exports: the silo and the gateway of
/// the sandbox edge, scraped on the gateway's /metrics after a /start, an answer, a daily question and a readiness probe.
/// </summary>
[Collection(TelegramEdgeCollection.Name)]
public sealed class MetricNamesTests
{
    /// <summary>Made by Prometheus for every scrape target, not by the processes.</summary>
    private static readonly string[] PrometheusOwn = ["up"];

    /// <summary>
    /// Orleans' histogram of reminder tardiness is recorded only when a reminder ticks, which takes a minute of real time
    /// in a test cluster. Its instrument name is in Orleans.Core (checked below), created with unit "seconds".
    /// </summary>
    private static readonly Dictionary<string, string> RecordedOnlyUnderLoad = new(StringComparer.Ordinal)
    {
        ["orleans_reminders_tardiness_seconds_bucket"] = "orleans-reminders-tardiness",
    };

    private readonly TelegramEdgeFixture _edge;

    public MetricNamesTests(TelegramEdgeFixture edge)
    {
        _edge = edge;
    }

    [Fact]
    public async Task AlertRulesUseOnlyExportedMetrics()
    {
        var exported = await ExportedAfterAConversationAsync();

        AssertAllExported(exported, MonitoringFiles.Alerts().Select(a => (a.RequiredText("alert"), a.RequiredText("expr"))));
    }

    [Fact]
    public async Task DashboardPanelsUseOnlyExportedMetrics()
    {
        var exported = await ExportedAfterAConversationAsync();

        Assert.NotEmpty(MonitoringFiles.DashboardExpressions());
        AssertAllExported(exported, MonitoringFiles.DashboardExpressions());
    }

    [Fact]
    public void MetricsAllowedWithoutBeingSeenAreDeclaredByOrleans()
    {
        var orleansCore = File.ReadAllBytes(System.Reflection.Assembly.Load("Orleans.Core").Location);

        foreach (var instrument in RecordedOnlyUnderLoad.Values)
        {
            Assert.True(orleansCore.AsSpan().IndexOf(Encoding.Unicode.GetBytes(instrument)) >= 0, $"Orleans.Core declares no instrument {instrument}.");
        }
    }

    private static void AssertAllExported(IReadOnlySet<string> exported, IEnumerable<(string Where, string Expr)> queries)
    {
        var missing = queries
            .SelectMany(q => MonitoringFiles.MetricNames(q.Expr).Select(name => (q.Where, Name: name)))
            .Where(q => !exported.Contains(q.Name) && !PrometheusOwn.Contains(q.Name) && !RecordedOnlyUnderLoad.ContainsKey(q.Name))
            .Select(q => $"{q.Where}: {q.Name}")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "Not exported: " + string.Join("; ", missing) + "\nExported: " + string.Join(' ', exported.Order(StringComparer.Ordinal)));
    }

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static IReadOnlySet<string>? _exported;

    private async Task<IReadOnlySet<string>> ExportedAfterAConversationAsync()
    {
        await Once.WaitAsync();
        try
        {
            return _exported ??= await ExerciseAndScrapeAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<IReadOnlySet<string>> ExerciseAndScrapeAsync()
    {
        using var http = new HttpClient();
        var user = TelegramEdgeFixture.NewUserId();
        Assert.Equal(HttpStatusCode.OK, await _edge.Sandbox.SendTextAsync(user, "/start"));
        SandboxMessage? question = null;
        await ClockExtensions.WaitUntilAsync(
            () => (question = _edge.Sandbox.MessagesIn(user).FirstOrDefault(m => m.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal)))) is not null,
            TimeSpan.FromSeconds(30), "the question");
        Assert.True(AnswerCallback.TryParse(question!.Buttons[0].CallbackData, out var questionId, out _, out _));
        var correct = await Database.ScalarAsync<short>(_edge.Cluster.ConnectionString, "select correct_index from questions where id = @id", ("id", questionId));
        // A wrong answer moves the learner down a level, so that the level-change counter is recorded too.
        await _edge.Sandbox.TapAsync(user, question.MessageId, question.Buttons[(correct + 1) % 4].CallbackData);

        // A daily question, so that the delivery lag is recorded.
        _edge.Cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var questions = _edge.Sandbox.MessagesIn(user).Count(m => m.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal)));
        Assert.Equal(DeliveryStatus.Sent, (await _edge.Cluster.Grains.GetGrain<IUserGrain>(user).DeliverDueQuestionAsync()).Status);
        await ClockExtensions.WaitUntilAsync(
            () => _edge.Sandbox.MessagesIn(user).Count(m => m.Buttons.Any(b => b.CallbackData.StartsWith("a:", StringComparison.Ordinal))) > questions,
            TimeSpan.FromSeconds(30), "the daily question");

        Assert.True((await http.GetAsync(new Uri(_edge.GatewayUrl, "/health/ready"))).IsSuccessStatusCode);
        // The exporter caches a scrape briefly; let it expire so that the last recordings are in.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var scrape = await http.GetStringAsync(new Uri(_edge.GatewayUrl, "/metrics"));
        return scrape.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
    }
}
