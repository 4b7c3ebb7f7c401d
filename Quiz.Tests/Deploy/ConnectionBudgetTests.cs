using System.Text.Json.Nodes;
using Quiz.Gateway;
using Quiz.Silo;

namespace Quiz.Tests.Deploy;

/// <summary>
/// Every process's PostgreSQL connections are bounded, and the deployments as shipped fit inside PostgreSQL's default
/// <c>max_connections</c> of 100 at their largest: silos × their budget + gateways + the schema step + an operator's command.
/// </summary>
public sealed class ConnectionBudgetTests : IClassFixture<KustomizeRender>, IClassFixture<ComposeProject>
{
    /// <summary>PostgreSQL's default <c>max_connections</c> less its default <c>superuser_reserved_connections</c>.</summary>
    private const int PostgresDefaultForTheApplication = 100 - 3;

    /// <summary>The schema step and one operator command (Quiz.Admin, psql) at the same time.</summary>
    private const int OperatorConnections = 2;

    private readonly KustomizeRender _render;
    private readonly ComposeProject _compose;

    public ConnectionBudgetTests(KustomizeRender render, ComposeProject compose)
    {
        _render = render;
        _compose = compose;
    }

    [Fact]
    public void DefaultBudgetKeepsTheMeasuredPools()
    {
        Assert.Equal(new ConnectionBudget(24, 8, 4, 8), ConnectionBudget.Split(ConnectionBudget.DefaultTotal));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(12)]
    [InlineData(32)]
    [InlineData(1000)]
    public void EveryBudgetIsSpentExactlyWithRoomForEachPool(int total)
    {
        var budget = ConnectionBudget.Split(total);

        Assert.Equal(total, budget.Total);
        Assert.True(budget.State >= 2 && budget.Reminders >= 1 && budget.Clustering >= 1 && budget.Queries >= 2, budget.ToString());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("1001")]
    [InlineData("twelve")]
    [InlineData("-12")]
    public void BadBudgetStopsStartUpNamingTheSetting(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ConnectionBudget.FromSetting(value));

        Assert.Contains(ConnectionBudget.SettingName, error.Message);
    }

    [Fact]
    public void KubernetesAtItsLargestFitsPostgresDefaults()
    {
        var production = _render.Production;
        var autoscaler = Assert.Single(production.OfKind("HorizontalPodAutoscaler"), h => h.Text("spec", "scaleTargetRef", "name") == "quiz-silo");
        var silos = int.Parse(autoscaler.RequiredText("spec", "maxReplicas"), System.Globalization.CultureInfo.InvariantCulture);
        var siloContainer = Assert.Single(production.Get("Deployment", "quiz-silo").Items("spec", "template", "spec", "containers"));
        var perSilo = ConnectionBudget.FromSetting(EnvValue(siloContainer, "Database__MaxConnections")).Total;
        var gateways = int.Parse(production.Get("Deployment", "quiz-gateway").RequiredText("spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture);

        var total = (silos * perSilo) + (gateways * GatewayApp.GatewayConnections) + OperatorConnections;

        Assert.True(total <= PostgresDefaultForTheApplication, $"{silos} silos × {perSilo} + {gateways} gateways × {GatewayApp.GatewayConnections} + {OperatorConnections} = {total} connections");
    }

    [Fact]
    public void ComposeFitsPostgresDefaults()
    {
        var services = _compose.Resolved.Entries("services").Where(s => s.Key.StartsWith("silo", StringComparison.Ordinal)).ToList();
        var perSilo = services.Sum(s => ConnectionBudget.FromSetting(s.Value.Text("environment", "Database__MaxConnections")).Total);

        var total = perSilo + GatewayApp.GatewayConnections + OperatorConnections;

        Assert.Equal(2, services.Count);
        Assert.All(services, s => Assert.NotNull(s.Value.Text("environment", "Database__MaxConnections")));
        Assert.True(total <= PostgresDefaultForTheApplication, $"{services.Count} silos with {perSilo} + a gateway's {GatewayApp.GatewayConnections} + {OperatorConnections} = {total} connections");
    }

    private static string? EnvValue(JsonNode container, string name) =>
        container.Items("env").SingleOrDefault(e => e.Text("name") == name)?.Text("value");
}
