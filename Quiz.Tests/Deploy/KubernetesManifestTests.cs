using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Quiz.Tests.Deploy;

/// <summary>
/// deploy/k8s as `kubectl kustomize` renders it: what Microsoft.Orleans.Hosting.Kubernetes needs of the silo pods (labels,
/// downward-API variables, a Role on pods), what operators rely on (probes, graceful stop, autoscaling, the webhook as
/// the only public path, the dashboard inside the cluster), and secrets that stay placeholders in the repository.
/// </summary>
public sealed partial class KubernetesManifestTests : IClassFixture<KustomizeRender>
{
    private const string Silo = "quiz-silo";
    private const string Gateway = "quiz-gateway";
    private const string Dashboard = "quiz-silo-dashboard";
    private const string Namespace = "quiz";
    private const string Placeholder = "change-me";

    /// <summary>The verbs on pods that the Kubernetes hosting package's cluster agent uses (deploy/k8s/base/rbac.yaml).</summary>
    private static readonly string[] KubernetesHostingVerbs = ["get", "list", "patch", "watch"];

    private readonly KustomizeRender _render;

    public KubernetesManifestTests(KustomizeRender render)
    {
        _render = render;
    }

    private RenderedManifests Production => _render.Production;

    private JsonObject SiloDeployment => Production.Get("Deployment", Silo);

    private JsonNode SiloContainer => Assert.Single(SiloDeployment.Items("spec", "template", "spec", "containers"));

    [Fact]
    public void EveryObjectLivesInTheQuizNamespace()
    {
        Assert.Equal("restricted", Production.Get("Namespace", Namespace).Text("metadata", "labels", "pod-security.kubernetes.io/enforce"));

        foreach (var item in Production.Objects.Where(o => o.Text("kind") != "Namespace"))
        {
            Assert.True(item.Text("metadata", "namespace") == Namespace, $"{item.Text("kind")}/{item.Text("metadata", "name")} is not in namespace {Namespace}.");
        }
    }

    [Fact]
    public void SiloPodsCarryTheOrleansLabelsMatchingTheConfiguredIdentity()
    {
        var labels = SiloDeployment.At("spec", "template", "metadata", "labels");

        var serviceId = labels.Text("orleans/serviceId");
        var clusterId = labels.Text("orleans/clusterId");

        Assert.False(string.IsNullOrEmpty(serviceId), "The silo pod template has no orleans/serviceId label.");
        Assert.False(string.IsNullOrEmpty(clusterId), "The silo pod template has no orleans/clusterId label.");
        // The hosting package finds its cluster's pods by these labels and compares them with the silo's own identity.
        Assert.Equal(serviceId, ConfigValue(EnvVar(SiloContainer, "ORLEANS_SERVICE_ID")));
        Assert.Equal(clusterId, ConfigValue(EnvVar(SiloContainer, "ORLEANS_CLUSTER_ID")));
    }

    [Fact]
    public void SiloGetsItsPodIdentityFromTheDownwardApi()
    {
        Assert.Equal("metadata.name", EnvVar(SiloContainer, "POD_NAME").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", EnvVar(SiloContainer, "POD_NAMESPACE").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("status.podIP", EnvVar(SiloContainer, "POD_IP").Text("valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void SilosAndGatewayShareOneClusterIdentity()
    {
        var gateway = Assert.Single(Production.Get("Deployment", Gateway).Items("spec", "template", "spec", "containers"));

        foreach (var (hosting, configuration) in new[] { ("ORLEANS_SERVICE_ID", "Orleans__ServiceId"), ("ORLEANS_CLUSTER_ID", "Orleans__ClusterId") })
        {
            var identity = ConfigValue(EnvVar(SiloContainer, hosting));
            Assert.Equal(identity, ConfigValue(EnvVar(SiloContainer, configuration)));
            Assert.Equal(identity, ConfigValue(EnvVar(gateway, configuration)));
        }
    }

    [Fact]
    public void SiloOpensSiloGatewayAndHttpPorts()
    {
        var ports = SiloContainer.Items("ports").Select(p => p.RequiredText("containerPort")).Order(StringComparer.Ordinal);

        Assert.Equal(["11111", "30000", "8081"], ports);
    }

    [Fact]
    public void OnlySilosReachTheSiloPortAndOnlySilosAndTheGatewayTheOrleansGatewayPort()
    {
        var policy = Production.Get("NetworkPolicy", Silo);
        Assert.Equal(Silo, policy.Text("spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
        Assert.Equal(["Ingress"], policy.Items("spec", "policyTypes").Select(t => t.GetValue<string>()));

        var rules = policy.Items("spec", "ingress").ToList();
        IEnumerable<string> AllowedFrom(string port) => rules
            .Where(r => r.Items("ports").Any(p => p.Text("port") == port))
            .Select(r => r.Items("from").Any() ? string.Join(",", r.Items("from").Select(f => f.Text("podSelector", "matchLabels", "app.kubernetes.io/name"))) : "anyone")
            .Order(StringComparer.Ordinal);

        Assert.Equal([Silo], AllowedFrom("silo"));
        Assert.Equal([Gateway, Silo], AllowedFrom("gateway"));
        Assert.Equal(["anyone"], AllowedFrom("http"));
        // Every named port a rule opens is one the silo container declares.
        var declared = SiloContainer.Items("ports").Select(p => p.RequiredText("name")).ToHashSet(StringComparer.Ordinal);
        Assert.All(rules.SelectMany(r => r.Items("ports")), p => Assert.Contains(p.RequiredText("port"), declared));
        Assert.Equal(Gateway, Production.Get("NetworkPolicy", Gateway).Text("spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
    }

    [Fact]
    public void ContainerPortsAreThePortsTheImagesExpose()
    {
        foreach (var (deployment, dockerfile) in new[] { (Silo, "Quiz.Silo/Dockerfile"), (Gateway, "Quiz.Gateway/Dockerfile") })
        {
            var exposed = DockerfileModel.Load(dockerfile).FinalStage.All("EXPOSE").SelectMany(e => e.Operands()).Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
            var container = Assert.Single(Production.Get("Deployment", deployment).Items("spec", "template", "spec", "containers"));

            foreach (var port in container.Items("ports").Select(p => p.RequiredText("containerPort")))
            {
                Assert.True(exposed.Contains(port), $"{deployment} opens container port {port}, which {dockerfile} does not EXPOSE (it exposes {string.Join(", ", exposed)}).");
            }
        }
    }

    [Fact]
    public void SiloProbesLivenessAndReadinessOnItsHttpPort()
    {
        Assert.Equal("/health/live", SiloContainer.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("8081", ProbePort(SiloContainer, "livenessProbe"));
        Assert.Equal("/health/ready", SiloContainer.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("8081", ProbePort(SiloContainer, "readinessProbe"));
        if (SiloContainer.At("startupProbe") is not null)
        {
            // A startup probe must not wait on the cluster and the database, or a cold start never ends.
            Assert.Equal("/health/live", SiloContainer.Text("startupProbe", "httpGet", "path"));
        }
    }

    [Fact]
    public void GatewayProbesLivenessAndReadinessOnItsHttpPort()
    {
        var gateway = Assert.Single(Production.Get("Deployment", Gateway).Items("spec", "template", "spec", "containers"));

        Assert.Equal("/health/live", gateway.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", gateway.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("8080", ProbePort(gateway, "readinessProbe"));
    }

    [Fact]
    public void SiloGetsLongerToStopThanItsShutdownTimeout()
    {
        var grace = SiloDeployment.Text("spec", "template", "spec", "terminationGracePeriodSeconds");

        Assert.True(grace is not null, "The silo pod sets no terminationGracePeriodSeconds: the 30 s default is shorter than the silo's 45 s shutdown.");
        Assert.True(int.Parse(grace) > 45, $"terminationGracePeriodSeconds {grace} is not above the silo's 45 s shutdown timeout.");
    }

    [Fact]
    public void EveryContainerRequestsCpuAndMemory()
    {
        foreach (var (workload, template) in Production.PodTemplates())
        {
            foreach (var container in template.Items("spec", "containers"))
            {
                var where = $"{workload.Text("kind")}/{workload.Text("metadata", "name")} container {container.Text("name")}";
                Assert.True(container.Text("resources", "requests", "cpu") is not null, $"{where} requests no CPU (the autoscaler and the scheduler need it).");
                Assert.True(container.Text("resources", "requests", "memory") is not null, $"{where} requests no memory.");
            }
        }
    }

    [Fact]
    public void SiloRunsAsAServiceAccountBoundToTheKubernetesHostingRole()
    {
        var account = SiloDeployment.Text("spec", "template", "spec", "serviceAccountName");
        Assert.True(account is not null, "The silo Deployment sets no serviceAccountName, so it runs as 'default', which has no rights on pods.");
        Assert.NotEqual("false", SiloDeployment.Text("spec", "template", "spec", "automountServiceAccountToken"));
        Production.Get("ServiceAccount", account);

        var bindings = Production.OfKind("RoleBinding")
            .Where(b => b.Items("subjects").Any(s => s.Text("kind") == "ServiceAccount" && s.Text("name") == account && s.Text("namespace") == Namespace))
            .ToList();
        var binding = Assert.Single(bindings);
        Assert.Equal("Role", binding.Text("roleRef", "kind"));
        var role = Production.Get("Role", binding.RequiredText("roleRef", "name"));

        var podVerbs = role.Items("rules")
            .Where(r => r.Items("apiGroups").Any(g => g.GetValue<string>() == string.Empty) && r.Items("resources").Any(x => x.GetValue<string>() == "pods"))
            .SelectMany(r => r.Items("verbs").Select(v => v.GetValue<string>()))
            .Distinct()
            .Order(StringComparer.Ordinal);
        // Exactly the decided set: more (delete, "*") only with DeleteDefunctSiloPods, and then here too.
        Assert.Equal(KubernetesHostingVerbs, podVerbs);
    }

    [Fact]
    public void DisruptionBudgetAndAutoscalerCoverTheSiloDeployment()
    {
        var podLabels = SiloDeployment.At("spec", "template", "metadata", "labels");
        Assert.Contains(Production.OfKind("PodDisruptionBudget"), b => Selects(b.At("spec", "selector", "matchLabels"), podLabels));

        var autoscaler = Assert.Single(Production.OfKind("HorizontalPodAutoscaler"), h => h.Text("spec", "scaleTargetRef", "name") == Silo);
        Assert.Equal("Deployment", autoscaler.Text("spec", "scaleTargetRef", "kind"));
        Assert.Equal("apps/v1", autoscaler.Text("spec", "scaleTargetRef", "apiVersion"));
        Assert.True(int.Parse(autoscaler.RequiredText("spec", "minReplicas")) >= 2, "The autoscaler may take the cluster down to one silo.");
        Assert.True(int.Parse(autoscaler.RequiredText("spec", "maxReplicas")) >= int.Parse(autoscaler.RequiredText("spec", "minReplicas")));
    }

    [Fact]
    public void SiloDeploymentLeavesTheReplicaCountToTheAutoscaler()
    {
        // With "replicas" set, every `kubectl apply` would reset the count and stop silos the autoscaler started.
        Assert.Null(SiloDeployment.At("spec", "replicas"));
    }

    [Fact]
    public void GatewayServiceSelectsTheGatewayPodsOnTheirHttpPort()
    {
        var deployment = Production.Get("Deployment", Gateway);
        var service = Production.Get("Service", Gateway);
        var container = Assert.Single(deployment.Items("spec", "template", "spec", "containers"));

        Assert.True(Selects(service.At("spec", "selector"), deployment.At("spec", "template", "metadata", "labels")), "The gateway Service does not select the gateway pods.");
        var targets = service.Items("spec", "ports").Select(p => ContainerPort(container, p.RequiredText("targetPort"))).ToList();
        Assert.Contains("8080", targets);
    }

    [Fact]
    public void IngressRoutesOnlyTheWebhookPathToTheGatewayOverTls()
    {
        var ingress = Assert.Single(Production.OfKind("Ingress"));
        var webhookUrl = new Uri(ConfigMapData("telegram-webhook-url"));

        var rule = Assert.Single(ingress.Items("spec", "rules"));
        Assert.Equal(webhookUrl.Host, rule.Text("host"));
        var path = Assert.Single(rule.Items("http", "paths"));
        Assert.Equal("/telegram/webhook", path.Text("path"));
        Assert.Equal(webhookUrl.AbsolutePath, path.Text("path"));
        Assert.Equal(Gateway, path.Text("backend", "service", "name"));
        var servicePorts = Production.Get("Service", Gateway).Items("spec", "ports").ToList();
        var backendPort = path.At("backend", "service", "port");
        Assert.Contains(servicePorts, p => (backendPort.Text("name") is { } name && p.Text("name") == name) || (backendPort.Text("number") is { } number && p.Text("port") == number));
        Assert.Null(ingress.At("spec", "defaultBackend"));
        // Telegram calls HTTPS URLs only.
        Assert.Equal("https", webhookUrl.Scheme);
        Assert.Contains(ingress.Items("spec", "tls"), t => t.Items("hosts").Any(h => h.GetValue<string>() == webhookUrl.Host) && t.Text("secretName") is not null);
    }

    [Fact]
    public void SchemaJobRunsTheSchemaImageOnceAgainstTheOwnerUrl()
    {
        var job = Assert.Single(Production.OfKind("Job"));
        var container = Assert.Single(job.Items("spec", "template", "spec", "containers"));

        Assert.Equal(OverlayImage("quiz-schema"), container.Text("image"));
        Assert.Equal("Never", job.Text("spec", "template", "spec", "restartPolicy"));
        Assert.Contains(container.Items("env"), e => e.Text("name") == "QUIZ_DATABASE_URL" && e.Text("valueFrom", "secretKeyRef", "key") == "schema-database-url");
        // A secret on the command line can be read by any process of the node: the URI goes in the environment only.
        Assert.Empty(container.Items("args"));
        Assert.Empty(container.Items("command"));
    }

    [Fact]
    public void ProductionRunsThePinnedRegistryImages()
    {
        Assert.Equal(OverlayImage("quiz-silo"), SiloContainer.Text("image"));
        Assert.Equal(OverlayImage("quiz-gateway"), Assert.Single(Production.Get("Deployment", Gateway).Items("spec", "template", "spec", "containers")).Text("image"));
        foreach (var (workload, template) in Production.PodTemplates())
        {
            foreach (var image in template.Items("spec", "containers").Select(c => c.RequiredText("image")))
            {
                Assert.True(
                    ImageTagPattern().IsMatch(image) && !image.EndsWith(":latest", StringComparison.Ordinal),
                    $"{workload.Text("kind")}/{workload.Text("metadata", "name")} runs '{image}', which is not pinned to a tag.");
            }
        }
    }

    [Fact]
    public void DashboardServiceIsReachableInsideTheClusterOnly()
    {
        var dashboard = Production.Get("Service", Dashboard);
        var siloLabels = SiloDeployment.At("spec", "template", "metadata", "labels");

        Assert.Equal("ClusterIP", dashboard.Text("spec", "type") ?? "ClusterIP");
        Assert.True(Selects(dashboard.At("spec", "selector"), siloLabels), "The dashboard Service does not select the silo pods.");
        var port = Assert.Single(dashboard.Items("spec", "ports"));
        Assert.Equal("8081", port.Text("port"));
        Assert.Equal("8081", ContainerPort(SiloContainer, port.RequiredText("targetPort")));

        foreach (var ingress in Production.OfKind("Ingress"))
        {
            var backends = ingress.Items("spec", "rules").SelectMany(r => r.Items("http", "paths")).Select(p => p.Text("backend", "service", "name"))
                .Append(ingress.Text("spec", "defaultBackend", "service", "name"));
            Assert.DoesNotContain(Dashboard, backends);
        }

        foreach (var service in Production.OfKind("Service").Where(s => Selects(s.At("spec", "selector"), siloLabels)))
        {
            Assert.True(
                (service.Text("spec", "type") ?? "ClusterIP") == "ClusterIP",
                $"Service {service.Text("metadata", "name")} exposes the silos outside the cluster as {service.Text("spec", "type")}.");
        }
    }

    [Fact]
    public void BaseSecretHoldsPlaceholdersOnly()
    {
        var secrets = _render.BaseOnly.OfKind("Secret").ToList();
        Assert.NotEmpty(secrets);

        foreach (var secret in secrets)
        {
            foreach (var (key, value) in SecretValues(secret))
            {
                Assert.True(IsPlaceholder(value), $"deploy/k8s/base Secret {secret.Text("metadata", "name")} key {key} looks like a real value; keep '{Placeholder}' placeholders in the repository.");
            }
        }
    }

    [Fact]
    public void SecretsEnvExampleHoldsPlaceholdersOnly()
    {
        var lines = File.ReadAllLines(Path.Combine(KustomizeRender.SourceFolder, KustomizeRender.ProductionOverlay, "secrets.env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        Assert.NotEmpty(lines);

        foreach (var line in lines)
        {
            var (key, value) = (line.Split('=', 2)[0], line.Split('=', 2).ElementAtOrDefault(1) ?? string.Empty);
            Assert.True(IsPlaceholder(value), $"secrets.env.example key {key} looks like a real value; keep '{Placeholder}' placeholders in the repository.");
        }
    }

    [Fact]
    public void ProductionSecretReplacesThePlaceholderSecretWithEveryKeyTheWorkloadsRead()
    {
        var secret = Production.Get("Secret", "quiz-secrets");
        var keys = secret.Entries("data").Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        // Left over from the base, stringData would win over the generated data when applied.
        Assert.Null(secret.At("stringData"));
        var exampleKeys = File.ReadAllLines(Path.Combine(KustomizeRender.SourceFolder, KustomizeRender.ProductionOverlay, "secrets.env.example"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)[0])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(exampleKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        var baseKeys = SecretValues(_render.BaseOnly.Get("Secret", "quiz-secrets")).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(baseKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryConfigMapAndSecretReferenceResolvesInBaseAndProduction()
    {
        foreach (var rendered in new[] { _render.BaseOnly, Production })
        {
            foreach (var (workload, template) in rendered.PodTemplates())
            {
                foreach (var variable in template.Items("spec", "containers").SelectMany(c => c.Items("env")))
                {
                    foreach (var (kind, reference) in new[] { ("ConfigMap", variable.At("valueFrom", "configMapKeyRef")), ("Secret", variable.At("valueFrom", "secretKeyRef")) })
                    {
                        if (reference is null || reference.Text("optional") == "true")
                        {
                            continue;
                        }

                        var where = $"{rendered.Source}: {workload.Text("metadata", "name")} env {variable.Text("name")}";
                        var target = rendered.Find(kind, reference.RequiredText("name"));
                        Assert.True(target is not null, $"{where} reads {kind} {reference.Text("name")}, which is not rendered.");
                        var keys = kind == "Secret" ? SecretValues(target).Select(v => v.Key) : target.Entries("data").Select(e => e.Key);
                        Assert.True(keys.Contains(reference.RequiredText("key")), $"{where} reads key {reference.Text("key")}, which {kind} {reference.Text("name")} lacks.");
                    }
                }
            }
        }
    }

    [Fact]
    public void EveryPodMeetsTheRestrictedStandardTheNamespaceEnforces()
    {
        foreach (var (workload, template) in Production.PodTemplates())
        {
            var pod = template.At("spec");
            foreach (var container in pod.Items("containers").Concat(pod.Items("initContainers")))
            {
                var where = $"{workload.Text("kind")}/{workload.Text("metadata", "name")} container {container.Text("name")}";
                Assert.True(
                    (container.Text("securityContext", "runAsNonRoot") ?? pod.Text("securityContext", "runAsNonRoot")) == "true",
                    $"{where} does not set runAsNonRoot: the restricted namespace rejects the pod.");
                Assert.True(
                    (container.Text("securityContext", "seccompProfile", "type") ?? pod.Text("securityContext", "seccompProfile", "type")) is "RuntimeDefault" or "Localhost",
                    $"{where} has no seccomp profile: the restricted namespace rejects the pod.");
                Assert.True(container.Text("securityContext", "allowPrivilegeEscalation") == "false", $"{where} allows privilege escalation.");
                Assert.True(container.Items("securityContext", "capabilities", "drop").Any(c => c.GetValue<string>() == "ALL"), $"{where} does not drop ALL capabilities.");
            }
        }
    }

    private static JsonNode EnvVar(JsonNode container, string name) =>
        container.Items("env").SingleOrDefault(e => e.Text("name") == name)
        ?? throw new Xunit.Sdk.XunitException($"Container {container.Text("name")} has no env variable {name}.");

    /// <summary>The value a configMapKeyRef variable takes in the rendered ConfigMap.</summary>
    private string ConfigValue(JsonNode variable)
    {
        var reference = variable.At("valueFrom", "configMapKeyRef");
        Assert.True(reference is not null, $"{variable.Text("name")} is not read from a ConfigMap.");
        var configMap = Production.Get("ConfigMap", reference.RequiredText("name"));
        return configMap.Text("data", reference.RequiredText("key"))
            ?? throw new Xunit.Sdk.XunitException($"ConfigMap {reference.Text("name")} has no key {reference.Text("key")} for {variable.Text("name")}.");
    }

    private string ConfigMapData(string key) =>
        Assert.Single(Production.OfKind("ConfigMap"), c => c.Text("data", key) is not null).RequiredText("data", key);

    /// <summary>The container port a probe calls, its named port resolved.</summary>
    private static string ProbePort(JsonNode container, string probe) =>
        ContainerPort(container, container.RequiredText(probe, "httpGet", "port"));

    private static string ContainerPort(JsonNode container, string nameOrNumber) =>
        nameOrNumber.All(char.IsAsciiDigit)
            ? nameOrNumber
            : container.Items("ports").SingleOrDefault(p => p.Text("name") == nameOrNumber)?.Text("containerPort")
              ?? throw new Xunit.Sdk.XunitException($"Container {container.Text("name")} has no port named {nameOrNumber}.");

    private static bool Selects(JsonNode? selector, JsonNode? labels)
    {
        var wanted = selector.Entries().ToList();
        return wanted.Count > 0 && wanted.All(w => labels.Text(w.Key) == w.Value?.GetValue<string>());
    }

    /// <summary>The image the production overlay's `images:` entry makes of <paramref name="name"/>.</summary>
    private static string OverlayImage(string name)
    {
        var overlay = YamlTree.Load(File.ReadAllText(Path.Combine(KustomizeRender.SourceFolder, KustomizeRender.ProductionOverlay, "kustomization.yaml")));
        var entry = Assert.Single(overlay.Items("images"), i => i.Text("name") == name);
        return $"{entry.RequiredText("newName")}:{entry.RequiredText("newTag")}";
    }

    private static IEnumerable<KeyValuePair<string, string>> SecretValues(JsonNode secret) =>
        secret.Entries("data")
            .Select(e => KeyValuePair.Create(e.Key, Encoding.UTF8.GetString(Convert.FromBase64String(e.Value?.GetValue<string>().Replace("\n", string.Empty, StringComparison.Ordinal) ?? string.Empty))))
            .Concat(secret.Entries("stringData").Select(e => KeyValuePair.Create(e.Key, e.Value?.GetValue<string>() ?? string.Empty)));

    /// <summary>Empty, or a value whose every password-like part is the placeholder.</summary>
    private static bool IsPlaceholder(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        if (!value.Contains(Placeholder, StringComparison.Ordinal))
        {
            return false;
        }

        var passwords = PasswordPattern().Matches(value).Select(m => m.Groups["password"].Value);
        return passwords.All(p => p == Placeholder);
    }

    [GeneratedRegex(@"(?:Password=(?<password>[^;]*))|(?:://[^:/@]+:(?<password>[^@]*)@)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"^[^:@]+(:\d+)?(/[^:@]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex ImageTagPattern();
}
