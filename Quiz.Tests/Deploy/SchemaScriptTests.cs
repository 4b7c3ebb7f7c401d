using Quiz.Testing;

namespace Quiz.Tests.Deploy;

/// <summary>sql/apply.sh as the Kubernetes schema Job runs it: the owner's password reaches psql, never its command line.</summary>
public sealed class SchemaScriptTests
{
    [Fact]
    public void ThePasswordOfQuizDatabaseUrlGoesToPsqlThroughPgPasswordNotItsArguments()
    {
        var bin = Directory.CreateTempSubdirectory("quiz-fake-psql-");
        try
        {
            // A psql that says what it was given, in place of the real one.
            var psql = Path.Combine(bin.FullName, "psql");
            File.WriteAllText(psql, "#!/usr/bin/env bash\necho \"args: $* | password: ${PGPASSWORD:-}\"\n");
            ExternalTool.Run("chmod", ["+x", psql], bin.FullName).SucceededOutput();

            var result = ExternalTool.Run("bash", [Path.Combine(RepositoryRoot.Path, "sql", "apply.sh")], RepositoryRoot.Path, new Dictionary<string, string?>
            {
                ["PATH"] = bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["QUIZ_DATABASE_URL"] = "postgresql://quiz_owner:p%40ss%3Aw0rd@db.example:5432/quiz?sslmode=require",
                ["PGPASSWORD"] = null,
            });

            var calls = result.SucceededOutput().Split('\n').Where(l => l.StartsWith("args: ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(calls);
            Assert.All(calls, call =>
            {
                Assert.Contains("--dbname=postgresql://quiz_owner@db.example:5432/quiz?sslmode=require", call, StringComparison.Ordinal);
                Assert.EndsWith("| password: p@ss:w0rd", call, StringComparison.Ordinal);
                Assert.DoesNotContain("p%40ss", call.Split('|')[0], StringComparison.Ordinal);
            });
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}
