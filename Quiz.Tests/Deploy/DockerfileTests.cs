using System.Text.RegularExpressions;
using System.Xml.Linq;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Deploy;

/// <summary>
/// The three images of deploy/README.md, read offline: each is built from the repository root, so every COPY must name
/// a path that exists there and that .dockerignore keeps; each runs as a numeric non-root user (the namespace enforces
/// the restricted Pod Security Standard); servers carry a HEALTHCHECK, the one-shot schema image says why it has none.
/// </summary>
public sealed partial class DockerfileTests
{
    /// <summary>Every Dockerfile in the repository (found, not listed, so that a new image is checked too).</summary>
    public static TheoryData<string> Dockerfiles() => new(FindDockerfiles());

    private static List<string> FindDockerfiles()
    {
        var root = RepositoryRoot.Path;
        var ignored = new[] { "bin", "obj", ".git", ".scratch", "TestResults", "node_modules" };
        return Directory.EnumerateFiles(root, "Dockerfile", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(relative => !relative.Split('/').Any(ignored.Contains))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void TheThreeImagesOfTheDeployGuideHaveDockerfiles()
    {
        var found = FindDockerfiles().ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "Quiz.Silo/Dockerfile", "Quiz.Gateway/Dockerfile", "sql/Dockerfile" }, found);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryCopiedPathExistsInTheBuildContext(string dockerfile)
    {
        var model = DockerfileModel.Load(dockerfile);
        var ignore = DockerIgnore.Load();
        var copies = model.All("COPY").Concat(model.All("ADD")).Where(c => c.Flag("from") is null).ToList();
        Assert.NotEmpty(copies);

        foreach (var copy in copies)
        {
            var operands = copy.Operands();
            Assert.True(operands.Count >= 2, $"{dockerfile}:{copy.Line} copies nothing: {copy.Arguments}");
            foreach (var source in operands.Take(operands.Count - 1))
            {
                var relative = NormalizeSource(source);
                var full = Path.Combine(RepositoryRoot.Path, relative);
                Assert.True(
                    File.Exists(full) || Directory.Exists(full),
                    $"{dockerfile}:{copy.Line} copies '{source}', which does not exist in the repository (the build context is its root).");
                Assert.False(
                    relative.Length > 0 && ignore.Excludes(relative),
                    $"{dockerfile}:{copy.Line} copies '{source}', which .dockerignore leaves out of the build context.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void ImageRunsAsANumericNonRootUser(string dockerfile)
    {
        var model = DockerfileModel.Load(dockerfile);

        var user = model.FinalStage.All("USER").LastOrDefault();

        Assert.True(user is not null, $"{dockerfile}: the final stage sets no USER, so the container runs as root.");
        var name = user.Operands().Single().Split(':')[0];
        Assert.False(name is "root" or "0", $"{dockerfile}:{user.Line} runs as root.");
        // Kubernetes can enforce runAsNonRoot only on a numeric user; $APP_UID is the .NET images' numeric app user (1654).
        Assert.True(
            name.All(char.IsAsciiDigit) || name is "$APP_UID" or "${APP_UID}",
            $"{dockerfile}:{user.Line} sets USER {name}: use a numeric id (or the .NET images' $APP_UID), or runAsNonRoot rejects the pod.");
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void BuildToolsStayOutOfTheFinalImage(string dockerfile)
    {
        var model = DockerfileModel.Load(dockerfile);
        var builds = model.All("RUN").Any(r => r.Arguments.Contains("dotnet ", StringComparison.Ordinal));

        if (builds)
        {
            Assert.True(model.Stages.Count >= 2, $"{dockerfile} builds with the SDK in its only stage: build in one stage, ship another.");
            Assert.DoesNotContain("/sdk", model.FinalStage.BaseImage, StringComparison.Ordinal);
            Assert.Contains(model.FinalStage.All("COPY"), c => c.Flag("from") is not null);
            Assert.DoesNotContain(model.FinalStage.All("RUN"), r => r.Arguments.Contains("dotnet ", StringComparison.Ordinal));
        }
        else
        {
            // An image that compiles nothing (the schema image copies scripts onto a psql image) has nothing to leave
            // behind in a build stage; it must then run nothing at build time either.
            Assert.True(
                !model.All("RUN").Any(),
                $"{dockerfile} runs build steps in a single stage: move them into a build stage and copy the result into the final one.");
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void ServerImagesProbeLivenessAndOneShotImagesSayWhyNot(string dockerfile)
    {
        var model = DockerfileModel.Load(dockerfile);
        var exposed = model.FinalStage.All("EXPOSE").SelectMany(e => e.Operands()).Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);

        if (exposed.Count == 0)
        {
            // Nothing to probe in a container that serves nothing: it must say that it runs once and exits.
            Assert.True(
                model.HealthCheck is not null || model.Comments.Any(c => ExitsPattern().IsMatch(c)),
                $"{dockerfile} exposes no port and has no HEALTHCHECK, and no comment says why (e.g. that it runs once and exits).");
            return;
        }

        var check = model.HealthCheck;
        Assert.True(check is not null, $"{dockerfile} serves ports {string.Join(", ", exposed)} but has no HEALTHCHECK: docker compose's service_healthy waits on it.");
        Assert.Contains("/health/live", check.Arguments, StringComparison.Ordinal);
        var probed = LoopbackPortPattern().Match(check.Arguments);
        Assert.True(probed.Success, $"{dockerfile}:{check.Line} HEALTHCHECK names no loopback port: {check.Arguments}");
        Assert.Contains(probed.Groups[1].Value, exposed);
        // The probe must hit the port the app listens on, which the image sets through URLS.
        var urls = model.FinalStage.All("ENV").Select(e => UrlsPattern().Match(e.Arguments)).FirstOrDefault(m => m.Success);
        Assert.True(urls is not null, $"{dockerfile} sets no URLS in its final stage, so the probed port is not the one the app binds.");
        Assert.Equal(probed.Groups[1].Value, urls.Groups[1].Value);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void RestoreStageCopiesEveryProjectThePublishedAppReferences(string dockerfile)
    {
        var model = DockerfileModel.Load(dockerfile);
        var restore = model.All("RUN").FirstOrDefault(r => r.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        if (restore is null)
        {
            Assert.DoesNotContain(model.All("RUN"), r => r.Arguments.Contains("dotnet ", StringComparison.Ordinal));
            return;
        }

        var project = restore.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));
        var copiedBeforeRestore = CopiedSources(model, until: restore.Line);
        var copiedAll = CopiedSources(model, until: int.MaxValue);

        foreach (var referenced in ProjectClosure(project))
        {
            var directory = Path.GetDirectoryName(referenced)!.Replace('\\', '/');
            Assert.True(
                copiedBeforeRestore.Contains(referenced) || copiedBeforeRestore.Contains(directory),
                $"{dockerfile}: {project} references {referenced}, which is not copied before `dotnet restore` (line {restore.Line}): the image build fails.");
            Assert.True(
                copiedAll.Contains(directory),
                $"{dockerfile}: {project} references {referenced}, whose folder {directory}/ is never copied: `dotnet publish` fails.");
        }

        foreach (var buildFile in new[] { "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config" })
        {
            if (File.Exists(Path.Combine(RepositoryRoot.Path, buildFile)))
            {
                Assert.True(copiedBeforeRestore.Contains(buildFile), $"{dockerfile}: {buildFile} at the repository root is not copied before `dotnet restore`.");
            }
        }
    }

    [Fact]
    public void BuildContextLeavesOutSecretsAndHostBuildOutput()
    {
        var ignore = DockerIgnore.Load();

        Assert.True(ignore.Excludes(".env"), ".dockerignore must leave .env (the compose secrets) out of every image's build context.");
        Assert.True(ignore.Excludes("deploy/k8s/overlays/production/secrets.env"), ".dockerignore must leave the Kubernetes secrets.env out of the build context.");
        Assert.True(ignore.Excludes("Quiz.Silo/obj/project.assets.json"), ".dockerignore must leave host obj/ folders out: they would overwrite the restore done in the image.");
        Assert.True(ignore.Excludes("Quiz.Gateway/bin/Debug"), ".dockerignore must leave host bin/ folders out of the build context.");
        Assert.False(ignore.Excludes("sql/apply.sh"), ".dockerignore leaves out sql/apply.sh, which the schema image runs.");
    }

    private static string NormalizeSource(string source)
    {
        var relative = source.Replace('\\', '/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        return relative == "." ? string.Empty : relative.TrimEnd('/');
    }

    private static HashSet<string> CopiedSources(DockerfileModel model, int until) =>
        model.All("COPY")
            .Where(c => c.Flag("from") is null && c.Line < until)
            .SelectMany(c => c.Operands().SkipLast(1))
            .Select(NormalizeSource)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The project and every project it references, transitively, as paths from the repository root.</summary>
    private static IReadOnlyCollection<string> ProjectClosure(string project)
    {
        var root = RepositoryRoot.Path;
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(Path.Combine(root, project))]);
        while (pending.TryPop(out var path))
        {
            Assert.True(File.Exists(path), $"{Path.GetRelativePath(root, path)} is restored by a Dockerfile or referenced by a project, but does not exist.");
            if (!found.Add(Path.GetRelativePath(root, path).Replace('\\', '/')))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(path).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")?.Value.Replace('\\', '/');
                if (include is not null)
                {
                    pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, include)));
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"\b(?:exits|runs once)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ExitsPattern();

    [GeneratedRegex(@"(?:127\.0\.0\.1|localhost)[/:](\d+)")]
    private static partial Regex LoopbackPortPattern();

    [GeneratedRegex(@"\bURLS=https?://[^:\s]+:(\d+)")]
    private static partial Regex UrlsPattern();
}
