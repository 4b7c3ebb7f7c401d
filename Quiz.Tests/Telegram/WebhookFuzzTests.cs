using System.Net;
using System.Net.Http.Headers;
using CsCheck;
using Quiz.Gateway;
using Quiz.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Quiz.Tests.Telegram;

/// <summary>
/// Thousands of hostile bodies at the real webhook (gateway, cluster, PostgreSQL): never a 5xx, and an update refused
/// with a 4xx changes nothing for the learner it names.
/// </summary>
[Collection(HostileInputCollection.Name)]
public sealed class WebhookFuzzTests(HostileInputEdgeFixture edge, ITestOutputHelper output)
{
    /// <summary>Bodies in CI; <c>QUIZ_FUZZ_CASES</c> asks for more (docs/telegram.md gives the command).</summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("QUIZ_FUZZ_CASES"), out var n) ? n : 1500;

    private static readonly ulong FirstSeed = ulong.TryParse(Environment.GetEnvironmentVariable("QUIZ_FUZZ_SEED"), out var s) ? s : 1;

    [Fact]
    public async Task HostileBodiesNeverGet5xxAndRefusedOnesChangeNothing()
    {
        using var http = new HttpClient { BaseAddress = edge.GatewayUrl };
        var refused = new List<(long User, HostileUpdate Update)>();
        var statuses = new Dictionary<HttpStatusCode, int>();
        var failures = new List<string>();
        for (var i = 0UL; i < (ulong)Cases; i++)
        {
            var user = TelegramEdgeFixture.NewUserId();
            var update = UpdateMutations.For(user, 800_000_000 + (int)(i % 100_000_000)).Generate(new PCG(7, FirstSeed + i), null, out _);
            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookEndpoint.Path) { Content = new ByteArrayContent(update.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(WebhookEndpoint.SecretHeader, LoopbackGateway.WebhookSecret);
            using var response = await http.SendAsync(request);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"seed {FirstSeed + i}: {(int)response.StatusCode} for {update}");
            }
            else if ((int)response.StatusCode >= 400)
            {
                refused.Add((user, update));
            }
        }

        output.WriteLine($"{Cases} bodies from seed {FirstSeed}: {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{(int)p.Key}: {p.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} bodies got a 5xx; first: {string.Join("\n", failures.Take(5))}");
        Assert.True(refused.Count > Cases / 10, $"only {refused.Count} of {Cases} bodies were refused: the mutations are too mild to prove anything");
        foreach (var (user, update) in refused)
        {
            var stats = await edge.Cluster.Grains.GetGrain<IUserGrain>(user).GetStatsAsync();
            Assert.False(stats.IsSubscribed || stats.Answered > 0, $"a refused update changed learner {user}: {update}");
            Assert.Empty(edge.Sandbox.MessagesIn(user));
        }
    }
}
