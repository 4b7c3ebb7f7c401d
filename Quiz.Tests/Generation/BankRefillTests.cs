using System.Collections.Immutable;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Generation;

/// <summary>The bank asks the model for more when a learner runs low, in the background, and keeps the result for everyone.</summary>
public sealed class BankRefillTests
{
    [Fact]
    public async Task LearnerRunningLowTriggersAGeneratedQuestionThatServesEveryone()
    {
        await using var openAi = await FakeOpenAiServer.StartAsync();
        openAi.Enqueue(ScriptedResponse.ValidQuestion());
        await using var cluster = await QuizTestCluster.StartAsync(configuration: new Dictionary<string, string>
        {
            ["OpenAI:ApiKey"] = "sk-test-refill",
            ["OpenAI:Endpoint"] = new Uri(openAi.Endpoint, "v1").ToString(),
        });
        var bank = cluster.Grains.GetGrain<IQuestionBankGrain>(0);
        var counts = await bank.CountQuestionsAsync();
        var beginnerStreaming = counts["Streaming/Beginner"];
        var allBeginner = await Database.ScalarAsync<string[]>(cluster.ConnectionString,
            "select array_agg(id) from questions where level = 'Beginner' and status = 'active'");
        var asked = allBeginner.Skip(2).ToImmutableDictionary(id => id, _ => new DateOnly(2026, 3, 1));

        var choice = await bank.ChooseAsync(new QuestionRequest(Level.Beginner, asked, []));

        Assert.NotNull(choice);
        Assert.False(choice.IsRepeat);
        await ClockExtensions.WaitUntilAsync(
            () => Database.ScalarAsync<long>(cluster.ConnectionString, "select count(*) from questions where source = 'generated'").GetAwaiter().GetResult() == 1,
            TimeSpan.FromSeconds(30), "the generated question to be stored");
        Assert.Equal("gpt-4o-mini", await Database.ScalarAsync<string>(cluster.ConnectionString, "select model from questions where source = 'generated'"));
        Assert.Equal("Beginner", await Database.ScalarAsync<string>(cluster.ConnectionString, "select level from questions where source = 'generated'"));
        Assert.Single(openAi.Requests);
        await ClockExtensions.WaitUntilAsync(
            () => bank.CountQuestionsAsync().GetAwaiter().GetResult().Values.Sum() == counts.Values.Sum() + 1,
            TimeSpan.FromSeconds(30), "the silo's bank to serve the new question");
        Assert.True(beginnerStreaming > 0);
    }

    [Fact]
    public async Task WithoutAnApiKeyNothingIsGeneratedAndTheLearnerGetsARepeat()
    {
        await using var cluster = await QuizTestCluster.StartAsync();
        var bank = cluster.Grains.GetGrain<IQuestionBankGrain>(0);
        var allExpert = await Database.ScalarAsync<string[]>(cluster.ConnectionString,
            "select array_agg(id) from questions where level = 'Expert' and status = 'active'");
        var asked = allExpert.Select((id, i) => (id, i)).ToImmutableDictionary(p => p.id, p => new DateOnly(2026, 1, 1).AddDays(p.i));

        var choice = await bank.ChooseAsync(new QuestionRequest(Level.Expert, asked, []));

        Assert.True(choice!.IsRepeat);
        Assert.Equal(allExpert[0], choice.Question.Id);
    }
}
