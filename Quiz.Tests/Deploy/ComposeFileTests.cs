using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Quiz.Tests.Deploy;

/// <summary>
/// docker-compose.yml as `docker-compose config` resolves it: the start order deploy/README.md promises (postgres healthy,
/// schema applied, silos, then the gateway), the settings each service gets, and the secrets it refuses to start without.
/// </summary>
public sealed partial class ComposeFileTests : IClassFixture<ComposeProject>
{
    private static readonly string[] Silos = ["silo1", "silo2"];
    private static readonly string[] Secrets = ["POSTGRES_PASSWORD", "QUIZ_RUNTIME_PASSWORD", "QUIZ_GATEWAY_PASSWORD", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_WEBHOOK_URL"];

    private readonly ComposeProject _compose;

    public ComposeFileTests(ComposeProject compose)
    {
        _compose = compose;
    }

    public static TheoryData<string, bool> RequiredVariableCases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var name in ComposeProject.RequiredVariables().Keys.Order(StringComparer.Ordinal))
        {
            cases.Add(name, false);
            cases.Add(name, true);
        }

        return cases;
    }

    [Fact]
    public void DefinesPostgresSchemaTwoSilosAndGateway()
    {
        var services = _compose.Resolved.Entries("services").Select(s => s.Key).Order(StringComparer.Ordinal);

        Assert.Equal(["gateway", "postgres", "schema", "silo1", "silo2"], services);
    }

    [Fact]
    public void EnvExampleCopiedAsIsResolves()
    {
        var result = _compose.Config(ComposeProject.EnvExample());

        var resolved = YamlTree.Load(result.SucceededOutput());
        Assert.Equal("change-me", resolved.Text("services", "postgres", "environment", "POSTGRES_PASSWORD"));
    }

    [Fact]
    public void PostgresHealthcheckAsksTheServerOverTcp()
    {
        var check = _compose.Service("postgres").At("healthcheck");

        Assert.True(check is not null, "The postgres service has no healthcheck, so `schema` cannot wait for service_healthy.");
        Assert.NotEqual("true", check.Text("disable"));
        var test = string.Join(' ', check.Items("test").Select(t => t.GetValue<string>()));
        Assert.Contains("pg_isready", test, StringComparison.Ordinal);
        // During first-time initialisation the server listens on its Unix socket only; a socket check would pass too early.
        Assert.Matches(@"-h\s+(127\.0\.0\.1|localhost)", test);
        Assert.NotNull(check.Text("interval"));
        Assert.NotNull(check.Text("retries"));
    }

    [Fact]
    public void SchemaRunsOnceAfterPostgresIsHealthy()
    {
        var schema = _compose.Service("schema");

        Assert.Equal("service_healthy", schema.Text("depends_on", "postgres", "condition"));
        Assert.Equal("no", schema.Text("restart"));
        Assert.Equal("sql/Dockerfile", schema.Text("build", "dockerfile"));
    }

    [Fact]
    public void SchemaAppliesToTheDatabaseTheSilosUse()
    {
        var environment = _compose.Service("schema").At("environment");

        Assert.Equal("postgres", environment.Text("PGHOST"));
        Assert.Equal(ComposeProject.Markers["POSTGRES_DB"], environment.Text("PGDATABASE"));
        Assert.Equal(ComposeProject.Markers["POSTGRES_USER"], environment.Text("PGUSER"));
        Assert.Equal(ComposeProject.Markers["POSTGRES_PASSWORD"], environment.Text("PGPASSWORD"));
    }

    [Fact]
    public void SilosStartOnlyAfterTheSchemaStepSucceeds()
    {
        foreach (var silo in Silos)
        {
            Assert.Equal("service_completed_successfully", _compose.Service(silo).Text("depends_on", "schema", "condition"));
        }
    }

    [Fact]
    public void GatewayStartsOnceBothSilosAreHealthy()
    {
        var gateway = _compose.Service("gateway");

        foreach (var silo in Silos)
        {
            Assert.Equal("service_healthy", gateway.Text("depends_on", silo, "condition"));
        }
    }

    [Fact]
    public void EveryServiceWaitedOnAsHealthyHasAHealthcheck()
    {
        var waitedOn = _compose.Resolved.Entries("services")
            .SelectMany(s => s.Value.Entries("depends_on"))
            .Where(d => d.Value.Text("condition") == "service_healthy")
            .Select(d => d.Key)
            .Distinct()
            .ToList();
        Assert.NotEmpty(waitedOn);

        foreach (var name in waitedOn)
        {
            var service = _compose.Service(name);
            if (service.At("healthcheck") is { } check && check.Text("disable") != "true")
            {
                continue;
            }

            // Otherwise the image's own HEALTHCHECK must serve: compose refuses service_healthy on a service without one.
            var dockerfile = service.Text("build", "dockerfile");
            Assert.True(dockerfile is not null, $"'{name}' is waited on as healthy but has neither a healthcheck nor an image built here.");
            var context = _compose.RepositoryRelativeContext(service);
            var model = DockerfileModel.Load(context.Length == 0 ? dockerfile : $"{context}/{dockerfile}");
            Assert.True(model.HealthCheck is not null, $"'{name}' is waited on as healthy but neither docker-compose.yml nor {model.RelativePath} gives it a health check.");
        }
    }

    [Fact]
    public void GatewayGetsTheTelegramSettingsAndTheConnectionString()
    {
        var environment = _compose.Service("gateway").At("environment");

        Assert.Equal(ComposeProject.Markers["TELEGRAM_BOT_TOKEN"], environment.Text("Telegram__BotToken"));
        Assert.Equal(ComposeProject.Markers["TELEGRAM_WEBHOOK_SECRET"], environment.Text("Telegram__WebhookSecret"));
        Assert.Equal(ComposeProject.Markers["TELEGRAM_WEBHOOK_URL"], environment.Text("Telegram__WebhookUrl"));
        Assert.Equal(ComposeProject.Markers["TELEGRAM_API_BASE_URL"], environment.Text("Telegram__ApiBaseUrl"));
        var connection = ConnectionString(environment.RequiredText("ConnectionStrings__Quiz"));
        Assert.Equal("postgres", connection["Host"]);
        Assert.Equal(ComposeProject.Markers["POSTGRES_DB"], connection["Database"]);
        // Not the owner: the gateway's role reads the cluster's membership only (sql/200_quiz_roles.sql).
        Assert.Equal("quiz_gateway", connection["Username"]);
        Assert.Equal(ComposeProject.Markers["QUIZ_GATEWAY_PASSWORD"], connection["Password"]);
    }

    [Fact]
    public void SilosConnectAsTheRuntimeRoleWhoseLoginTheSchemaStepSets()
    {
        var schema = _compose.Service("schema").At("environment");
        Assert.Equal(ComposeProject.Markers["QUIZ_RUNTIME_PASSWORD"], schema.Text("QUIZ_RUNTIME_PASSWORD"));
        Assert.Equal(ComposeProject.Markers["QUIZ_GATEWAY_PASSWORD"], schema.Text("QUIZ_GATEWAY_PASSWORD"));
        foreach (var silo in Silos)
        {
            var connection = ConnectionString(_compose.Service(silo).At("environment").RequiredText("ConnectionStrings__Quiz"));
            Assert.Equal("quiz_runtime", connection["Username"]);
            Assert.Equal(ComposeProject.Markers["QUIZ_RUNTIME_PASSWORD"], connection["Password"]);
        }
    }

    [Fact]
    public void GatewayPublishesTheConfiguredPortOnTheOneItListensOn()
    {
        var ports = _compose.Service("gateway").Items("ports").ToList();

        // Compose 1.29 renders a port bound to an address in the short form, "127.0.0.1:18080:8080/tcp".
        var port = Assert.Single(ports).GetValue<string>().Split('/')[0].Split(':');
        Assert.Equal(ComposeProject.Markers["GATEWAY_PORT"], port[1]);
        Assert.Equal("8080", port[2]);
        // The port also serves /metrics and /health: only the host's TLS proxy reaches it.
        Assert.Equal("127.0.0.1", port[0]);
    }

    [Fact]
    public void SilosAndGatewayRunWithAReadOnlyFileSystemAndNoCapabilities()
    {
        foreach (var service in Silos.Append("gateway"))
        {
            var definition = _compose.Service(service);
            Assert.Equal("true", definition.Text("read_only"));
            Assert.Equal(["ALL"], definition.Items("cap_drop").Select(c => c!.GetValue<string>()));
            Assert.Contains(definition.Items("security_opt"), o => o!.GetValue<string>() == "no-new-privileges:true");
        }
    }

    [Fact]
    public void SilosAndGatewayShareTheClusterIdentityAndTheDatabase()
    {
        var gateway = _compose.Service("gateway").At("environment");
        Assert.Equal(ComposeProject.Markers["ORLEANS_CLUSTER_ID"], gateway.Text("Orleans__ClusterId"));
        Assert.Equal(ComposeProject.Markers["ORLEANS_SERVICE_ID"], gateway.Text("Orleans__ServiceId"));

        foreach (var silo in Silos)
        {
            var environment = _compose.Service(silo).At("environment");
            Assert.Equal(gateway.Text("Orleans__ClusterId"), environment.Text("Orleans__ClusterId"));
            Assert.Equal(gateway.Text("Orleans__ServiceId"), environment.Text("Orleans__ServiceId"));
            var (siloDatabase, gatewayDatabase) = (ConnectionString(environment.RequiredText("ConnectionStrings__Quiz")), ConnectionString(gateway.RequiredText("ConnectionStrings__Quiz")));
            Assert.Equal((gatewayDatabase["Host"], gatewayDatabase["Port"], gatewayDatabase["Database"]), (siloDatabase["Host"], siloDatabase["Port"], siloDatabase["Database"]));
            // The silos send the daily questions, so they need the bot too.
            Assert.Equal(ComposeProject.Markers["TELEGRAM_BOT_TOKEN"], environment.Text("Telegram__BotToken"));
        }
    }

    [Fact]
    public void SilosGetLongerToStopThanTheirShutdownTimeout()
    {
        foreach (var silo in Silos)
        {
            var grace = _compose.Service(silo).Text("stop_grace_period");

            Assert.True(grace is not null, $"{silo} has no stop_grace_period: Docker's 10 s default kills a silo before it leaves the cluster.");
            Assert.True(Duration(grace) > TimeSpan.FromSeconds(45), $"{silo} stop_grace_period {grace} is not above the silo's 45 s shutdown timeout.");
        }
    }

    [Fact]
    public void SiloHttpPortsArePublishedOnLoopbackOnly()
    {
        foreach (var silo in Silos)
        {
            var ports = _compose.Service(silo).Items("ports").ToList();
            Assert.NotEmpty(ports);
            foreach (var port in ports)
            {
                var hostAddress = port is JsonValue shortForm ? shortForm.GetValue<string>().Split(':')[0] : port.Text("host_ip");
                Assert.True(hostAddress == "127.0.0.1", $"{silo} publishes {port.ToJsonString()} beyond loopback: its dashboard and metrics would be open.");
            }
        }
    }

    [Fact]
    public void EverySecretIsRequiredWithAMessageNamingIt()
    {
        var required = ComposeProject.RequiredVariables();

        foreach (var secret in Secrets)
        {
            Assert.True(required.ContainsKey(secret), $"docker-compose.yml does not require {secret} (${{{secret}:?...}}): the stack would start without it.");
        }

        foreach (var (name, message) in required)
        {
            Assert.Contains(name, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EnvExampleDefinesEveryVariableTheComposeFileReads()
    {
        var defined = ComposeProject.EnvExampleValues();

        var undocumented = ComposeProject.InterpolatedVariables().Where(v => !defined.ContainsKey(v)).Order(StringComparer.Ordinal).ToList();

        Assert.True(undocumented.Count == 0, $".env.example does not mention {string.Join(", ", undocumented)}, which docker-compose.yml reads.");
    }

    [Theory]
    [MemberData(nameof(RequiredVariableCases))]
    public void RequiredVariableMissingFromTheEnvFailsConfigNamingIt(string variable, bool blank)
    {
        var lines = ComposeProject.WithValues(ComposeProject.EnvExample(), ComposeProject.Markers)
            .Where(line => !line.StartsWith($"{variable}=", StringComparison.Ordinal))
            .Concat(blank ? [$"{variable}="] : [])
            .ToList();

        var result = _compose.Config(lines);

        Assert.True(result.ExitCode != 0, $"`docker-compose config` accepted an env file {(blank ? "with an empty" : "without")} {variable}:\n{result.StandardOutput}");
        // The reason follows the last ": "; before it, Compose 1.29 quotes the whole interpolated block, every variable included.
        var error = result.StandardError.Trim();
        var reason = error[(error.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
        Assert.Equal(ComposeProject.RequiredVariables()[variable], reason);
        Assert.True(reason.Contains(variable, StringComparison.Ordinal), $"Without {variable}, `docker-compose config` fails with '{reason}', which does not say what to set.");
    }

    private static Dictionary<string, string> ConnectionString(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0].Trim(), kv => kv.Length > 1 ? kv[1].Trim() : string.Empty, StringComparer.OrdinalIgnoreCase);

    private static TimeSpan Duration(string text)
    {
        var parts = DurationPattern().Matches(text);
        Assert.True(parts.Count > 0 && string.Concat(parts.Select(p => p.Value)) == text, $"'{text}' is not a duration.");
        return parts.Aggregate(TimeSpan.Zero, (sum, part) => sum + (part.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(double.Parse(part.Groups[1].Value)),
            "m" => TimeSpan.FromMinutes(double.Parse(part.Groups[1].Value)),
            "s" => TimeSpan.FromSeconds(double.Parse(part.Groups[1].Value)),
            "ms" => TimeSpan.FromMilliseconds(double.Parse(part.Groups[1].Value)),
            _ => TimeSpan.FromMicroseconds(double.Parse(part.Groups[1].Value)),
        }));
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us)")]
    private static partial Regex DurationPattern();
}
