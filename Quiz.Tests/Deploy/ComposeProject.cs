using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Deploy;

/// <summary>
/// docker-compose.yml copied into a temporary folder and resolved there with `docker-compose config` against env files
/// made from .env.example, so that nothing is written into the repository and a developer's own .env is never read.
/// </summary>
public sealed partial class ComposeProject : IDisposable
{
    /// <summary>Values that differ from each other, so a variable wired to the wrong setting shows.</summary>
    public static readonly IReadOnlyDictionary<string, string> Markers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["POSTGRES_DB"] = "db_marker",
        ["POSTGRES_USER"] = "user_marker",
        ["POSTGRES_PASSWORD"] = "password-marker",
        ["QUIZ_RUNTIME_PASSWORD"] = "runtime-password-marker",
        ["QUIZ_GATEWAY_PASSWORD"] = "gateway-password-marker",
        ["ORLEANS_CLUSTER_ID"] = "cluster-marker",
        ["ORLEANS_SERVICE_ID"] = "service-marker",
        ["TELEGRAM_BOT_TOKEN"] = "4242:bot-token-marker",
        ["TELEGRAM_WEBHOOK_SECRET"] = "webhook-secret-marker",
        ["TELEGRAM_WEBHOOK_URL"] = "https://marker.example.org/telegram/webhook",
        ["TELEGRAM_API_BASE_URL"] = "https://bot-api.example.org",
        ["GATEWAY_PORT"] = "18080",
    };

    private readonly string _directory;
    private readonly Lazy<JsonObject> _resolved;

    public ComposeProject()
    {
        _directory = Directory.CreateTempSubdirectory("quiz-compose-").FullName;
        File.Copy(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"), Path.Combine(_directory, "docker-compose.yml"));
        _resolved = new Lazy<JsonObject>(() => YamlTree.Load(Config(WithValues(EnvExample(), Markers)).SucceededOutput()));
    }

    /// <summary>The compose file as resolved with <see cref="Markers"/> over .env.example.</summary>
    public JsonObject Resolved => _resolved.Value;

    /// <summary>The resolved service <paramref name="name"/>.</summary>
    public JsonNode Service(string name) =>
        Resolved.At("services", name) ?? throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service '{name}'.");

    /// <summary>The compose file's own text.</summary>
    public static string ComposeText() => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));

    /// <summary>The lines of .env.example.</summary>
    public static IReadOnlyList<string> EnvExample() => File.ReadAllLines(Path.Combine(RepositoryRoot.Path, ".env.example"));

    /// <summary>The variables .env.example defines.</summary>
    public static IReadOnlyDictionary<string, string> EnvExampleValues() =>
        EnvExample()
            .Select(line => EnvLinePattern().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    /// <summary>Every variable the compose file reads, and the ones it requires (<c>${NAME:?message}</c>) with their messages.</summary>
    public static IReadOnlyCollection<string> InterpolatedVariables() =>
        VariablePattern().Matches(ComposeText()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> RequiredVariables()
    {
        var required = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in RequiredVariablePattern().Matches(ComposeText()))
        {
            required[match.Groups[1].Value] = match.Groups[2].Value;
        }

        return required;
    }

    /// <summary>The env-file lines with the given variables set; a variable .env.example lacks fails the test.</summary>
    public static IReadOnlyList<string> WithValues(IReadOnlyList<string> lines, IReadOnlyDictionary<string, string> values)
    {
        var missing = values.Keys.Except(lines.Select(l => EnvLinePattern().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)).ToList();
        Assert.True(missing.Count == 0, $".env.example no longer defines {string.Join(", ", missing)}.");
        return lines
            .Select(line => EnvLinePattern().Match(line) is { Success: true } m && values.TryGetValue(m.Groups[1].Value, out var value)
                ? $"{m.Groups[1].Value}={value}"
                : line)
            .ToList();
    }

    /// <summary>Runs `docker-compose config` with an env file of <paramref name="envLines"/>, nothing else of the caller's environment leaking in.</summary>
    public ToolResult Config(IReadOnlyList<string> envLines)
    {
        var envFile = Path.Combine(_directory, $"{Guid.NewGuid():N}.env");
        File.WriteAllLines(envFile, envLines);
        try
        {
            // Variables in the process environment win over the env file: remove every one that compose reads.
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var name in EnvExampleValues().Keys.Concat(InterpolatedVariables()))
            {
                environment[name] = null;
            }

            foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith("COMPOSE_", StringComparison.Ordinal)))
            {
                environment[name] = null;
            }

            return ExternalTool.Run(
                ExternalTool.DockerCompose,
                ["--env-file", envFile, "-f", "docker-compose.yml", "--project-directory", _directory, "config"],
                _directory,
                environment);
        }
        finally
        {
            File.Delete(envFile);
        }
    }

    /// <summary>The build context of a service, as a folder of the repository ("" for the root).</summary>
    public string RepositoryRelativeContext(JsonNode service)
    {
        var context = service.RequiredText("build", "context");
        return Path.GetRelativePath(_directory, context) is var relative && relative == "." ? string.Empty : relative.Replace('\\', '/');
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$")]
    private static partial Regex EnvLinePattern();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?([^}]*)\}")]
    private static partial Regex RequiredVariablePattern();
}
