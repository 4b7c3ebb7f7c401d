using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Quiz.Tests.Deploy;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Monitoring;

/// <summary>deploy/monitoring: the alert rules, their promtool tests and the Grafana dashboard, and the metric names their queries use.</summary>
public static partial class MonitoringFiles
{
    public static string Folder => Path.Combine(RepositoryRoot.Path, "deploy", "monitoring");

    public static string AlertRulesPath => Path.Combine(Folder, "quiz-alerts.yaml");

    public static string AlertTestsPath => Path.Combine(Folder, "quiz-alerts.test.yaml");

    public static string DashboardPath => Path.Combine(Folder, "quiz-dashboard.json");

    public static JsonObject AlertRules() => YamlTree.Load(File.ReadAllText(AlertRulesPath));

    public static IEnumerable<JsonNode> Alerts() => AlertRules().Items("groups").SelectMany(group => group.Items("rules"));

    /// <summary>Every panel target's PromQL expression.</summary>
    public static IEnumerable<(string Panel, string Expr)> DashboardExpressions()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!;
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            foreach (var target in panel!["targets"]?.AsArray() ?? [])
            {
                yield return (panel["title"]!.GetValue<string>(), target!["expr"]!.GetValue<string>());
            }
        }
    }

    /// <summary>The metric names a PromQL expression selects: what is left once strings, label matchers, grouping clauses, durations, functions and keywords are taken out.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var bare = Strings().Replace(expr, " ");
        bare = Matchers().Replace(bare, " ");
        bare = Grouping().Replace(bare, " ");
        bare = Durations().Replace(bare, " ");
        return Identifiers().Matches(bare)
            .Where(m => !Keywords.Contains(m.Groups["name"].Value) && !m.Groups["call"].Success)
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan",
    };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Durations();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
