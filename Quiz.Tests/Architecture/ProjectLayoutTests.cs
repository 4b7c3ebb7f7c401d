using System.Reflection;
using Quiz.Admin;
using Quiz.Gateway;
using Quiz.Learners;

namespace Quiz.Tests.Architecture;

/// <summary>What each assembly may reference, read from the compiled assemblies (README: Layout).</summary>
public sealed class ProjectLayoutTests
{
    [Fact]
    public void GrainAssemblyReferencesNeitherTheDatabaseDriverNorTheModelClient()
    {
        var references = ReferencedNames(typeof(UserGrain).Assembly);

        Assert.DoesNotContain("Npgsql", references);
        Assert.DoesNotContain("OpenAI", references);
    }

    [Fact]
    public void GrainAssemblyHoldsNoWordingTheTextsAreResourcesOfTheConversationAssembly()
    {
        var grains = typeof(UserGrain).Assembly;
        var conversation = typeof(Quiz.Conversation.BotTexts).Assembly;

        Assert.Empty(grains.GetManifestResourceNames());
        Assert.Contains("Quiz.Conversation", ReferencedNames(grains));
        Assert.Equal(["Quiz.Conversation.Resources.Texts.resources"], conversation.GetManifestResourceNames());
        Assert.All(Quiz.Conversation.Language.All.Skip(1), language =>
            Assert.NotNull(conversation.GetSatelliteAssembly(System.Globalization.CultureInfo.GetCultureInfo(language.Code))));
    }

    [Fact]
    public void OperatorToolsReadQuestionFilesWithoutGrainsOrTheOrleansRuntime()
    {
        var references = ReferencedNames(typeof(AdminCommands).Assembly);

        Assert.Contains("Quiz.Questions", references);
        Assert.DoesNotContain("Quiz.Grains", references);
        Assert.DoesNotContain("Orleans.Core", references);
        Assert.DoesNotContain("Orleans.Runtime", references);
    }

    [Fact]
    public void GatewayReferencesNeitherGrainsNorQuestionGeneration()
    {
        var references = ReferencedNames(typeof(WebhookEndpoint).Assembly);

        Assert.DoesNotContain("Quiz.Grains", references);
        Assert.DoesNotContain("Quiz.Questions.Generation", references);
        Assert.DoesNotContain("OpenAI", references);
    }

    private static HashSet<string> ReferencedNames(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToHashSet(StringComparer.Ordinal);
}
