using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Quiz.Tests.Deploy;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Monitoring;

/// <summary>deploy/monitoring/quiz-alerts.yaml: valid for Prometheus, unit-tested with promtool, mirrored in the Kustomize base, each alert with its runbook.</summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public void PromtoolAcceptsTheRules()
    {
        ExternalTool.Run(ExternalTool.Promtool, ["check", "rules", MonitoringFiles.AlertRulesPath], MonitoringFiles.Folder).SucceededOutput();
    }

    [Fact]
    public void PromtoolUnitTestsOfTheRulesPass()
    {
        ExternalTool.Run(ExternalTool.Promtool, ["test", "rules", MonitoringFiles.AlertTestsPath], MonitoringFiles.Folder).SucceededOutput();
    }

    [Fact]
    public void EveryAlertHasAUnitTestWhereItFiresAndOneWhereItDoesNot()
    {
        var checks = YamlTree.Load(File.ReadAllText(MonitoringFiles.AlertTestsPath)).Items("tests")
            .SelectMany(test => test.Items("alert_rule_test"))
            .Select(check => (Alert: check.RequiredText("alertname"), Fires: check.Items("exp_alerts").Any()))
            .ToList();

        foreach (var alert in MonitoringFiles.Alerts().Select(a => a.RequiredText("alert")))
        {
            Assert.True(checks.Contains((alert, true)), $"No promtool test expects {alert} to fire.");
            Assert.True(checks.Contains((alert, false)), $"No promtool test expects {alert} to stay quiet.");
        }
    }

    [Fact]
    public void EveryAlertHasASeverityASummaryAndARunbookInTheOperationsGuide()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "operations.md"));
        var anchors = Heading().Matches(guide).Select(m => Anchor(m.Groups["title"].Value)).ToHashSet(StringComparer.Ordinal);

        foreach (var alert in MonitoringFiles.Alerts())
        {
            var name = alert.RequiredText("alert");
            Assert.Contains(alert.Text("labels", "severity"), new[] { "page", "ticket" });
            Assert.False(string.IsNullOrWhiteSpace(alert.Text("annotations", "summary")), $"{name} has no summary.");
            var runbook = alert.RequiredText("annotations", "runbook_url");
            Assert.StartsWith("docs/operations.md#", runbook, StringComparison.Ordinal);
            Assert.True(anchors.Contains(runbook.Split('#')[1]), $"{name}'s runbook {runbook} is no heading in docs/operations.md.");
        }
    }

    [Fact]
    public void ThePrometheusRuleInTheKustomizeBaseCarriesTheSameGroups()
    {
        var rule = YamlTree.Load(File.ReadAllText(Path.Combine(KustomizeRender.SourceFolder, KustomizeRender.Base, "prometheus-rule.yaml")));

        Assert.Equal("PrometheusRule", rule.Text("kind"));
        Assert.True(
            JsonNode.DeepEquals(MonitoringFiles.AlertRules()["groups"], rule.At("spec", "groups")),
            "deploy/k8s/base/prometheus-rule.yaml's spec.groups differ from deploy/monitoring/quiz-alerts.yaml's groups: regenerate it with the command at its top.");
    }

    [Fact]
    public void TheKustomizeBaseRendersThePrometheusRule()
    {
        using var render = new KustomizeRender();

        Assert.Equal("quiz", render.BaseOnly.Get("PrometheusRule", "quiz-alerts").Text("metadata", "namespace"));
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string Anchor(string title) =>
        Regex.Replace(title.Trim().ToLowerInvariant(), @"[^\w\- ]", string.Empty).Replace(' ', '-');

    [GeneratedRegex(@"^#+ (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
