using System.Text.Json.Nodes;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Deploy;

/// <summary>The objects `kubectl kustomize` renders from one kustomization.</summary>
public sealed class RenderedManifests
{
    public RenderedManifests(string source, IReadOnlyList<JsonObject> objects)
    {
        Source = source;
        Objects = objects;
    }

    /// <summary>Which kustomization this came from, for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => o.Text("kind") == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => o.Text("metadata", "name") == name);

    public JsonObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException(
            $"{Source} renders no {kind} '{name}'; it renders: {string.Join(", ", Objects.Select(o => $"{o.Text("kind")}/{o.Text("metadata", "name")}"))}.");

    /// <summary>Every workload's pod template, with the workload it belongs to.</summary>
    public IEnumerable<(JsonObject Workload, JsonNode Template)> PodTemplates()
    {
        foreach (var item in Objects)
        {
            var template = item.Text("kind") switch
            {
                "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => item.At("spec", "template"),
                "CronJob" => item.At("spec", "jobTemplate", "spec", "template"),
                _ => null,
            };
            if (template is not null)
            {
                yield return (item, template);
            }
        }
    }
}

/// <summary>
/// deploy/k8s rendered offline. The production overlay reads a git-ignored secrets.env beside it: the whole k8s folder is
/// copied to a temporary folder and secrets.env is made there from secrets.env.example, so the repository is never
/// written to and a developer's real secrets.env is never read.
/// </summary>
public sealed class KustomizeRender : IDisposable
{
    public const string ProductionOverlay = "overlays/production";
    public const string Base = "base";

    private readonly string _copy;
    private readonly Lazy<RenderedManifests> _production;
    private readonly Lazy<RenderedManifests> _base;

    public KustomizeRender()
    {
        _copy = Directory.CreateTempSubdirectory("quiz-k8s-").FullName;
        CopyWithoutSecrets(SourceFolder, _copy);
        File.Copy(
            Path.Combine(_copy, ProductionOverlay, "secrets.env.example"),
            Path.Combine(_copy, ProductionOverlay, "secrets.env"));
        _production = new Lazy<RenderedManifests>(() => Render(ProductionOverlay));
        _base = new Lazy<RenderedManifests>(() => Render(Base));
    }

    /// <summary>deploy/k8s in the repository.</summary>
    public static string SourceFolder => Path.Combine(RepositoryRoot.Path, "deploy", "k8s");

    public RenderedManifests Production => _production.Value;

    public RenderedManifests BaseOnly => _base.Value;

    public void Dispose()
    {
        Directory.Delete(_copy, recursive: true);
    }

    private RenderedManifests Render(string kustomization)
    {
        var output = ExternalTool.Run(ExternalTool.Kubectl, ["kustomize", Path.Combine(_copy, kustomization)], _copy).SucceededOutput();
        var objects = YamlTree.LoadAll(output);
        Assert.True(objects.Count > 0, $"`kubectl kustomize deploy/k8s/{kustomization}` rendered nothing.");
        return new RenderedManifests($"deploy/k8s/{kustomization}", objects);
    }

    private static void CopyWithoutSecrets(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            if (Path.GetFileName(file) != "secrets.env")
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            CopyWithoutSecrets(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
