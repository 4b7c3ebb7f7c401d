using System.Text;
using System.Text.Json.Nodes;
using Orleans.Runtime;
using Quiz.Learners;
using Quiz.Storage;
using Quiz.Tests.Infrastructure;

namespace Quiz.Tests.Storage;

/// <summary>
/// State rows written by an earlier build must read back in this one. The fixtures are learner rows as earlier builds
/// wrote them: version 1 of the JSON contract, and the shape written until issue 10 (open questions with their whole
/// wording, an outbox). Never edit them to make a test pass: a failure here means stored learners would break.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoredLearnerStateTests
{
    private static readonly string FixturePath = Fixture("learner-state-v1.json");
    private static readonly string WholeQuestionFixturePath = Fixture("learner-state-v2.json");
    private readonly QuizTestCluster _cluster;

    public StoredLearnerStateTests(ClusterFixture fixture)
    {
        _cluster = fixture.Cluster;
    }

    [Fact]
    public void VersionOneRowDeserializesWithEveryField()
    {
        var state = new JsonGrainStateSerializer().Deserialize<LearnerState>(new BinaryData(File.ReadAllBytes(FixturePath)));

        Assert.Equal((4242L, "de", "Europe/Berlin", new TimeOnly(8, 30)), (state.ChatId, state.LanguageCode, state.TimeZoneId, state.DeliveryTime));
        Assert.Equal((Level.Advanced, 4, 9, 1, 31, 22), (state.Level, state.Streak, state.BestStreak, state.CorrectInARow, state.Answered, state.Correct));
        var open = Assert.Single(state.OpenQuestions);
        Assert.Equal(("fixture-q-1", 2, "Streaming", 77), (open.Question.Id, open.Question.CorrectIndex, open.Question.Topic, open.MessageId));
        Assert.Equal(new DateOnly(2026, 3, 2), state.LastDeliveredDay);
        Assert.Equal(19, state.Topics["Streaming"].Answered);
        Assert.Equal(555, state.LastAnswer!.UpdateId);
        Assert.Equal("promoted", Assert.Single(state.RecentEvents).Kind);
        Assert.Equal(3, state.EventSequence);
    }

    [Fact]
    public void ThisBuildWritesEveryFieldTheFixtureHasAndOpenQuestionsByReference()
    {
        var fixture = WithOpenQuestionsByReference(JsonNode.Parse(File.ReadAllText(FixturePath))!.AsObject());
        var state = new JsonGrainStateSerializer().Deserialize<LearnerState>(new BinaryData(File.ReadAllBytes(FixturePath)));

        var written = JsonNode.Parse(new JsonGrainStateSerializer().Serialize(state).ToString())!.AsObject();
        // Fields added since version 1, with the values a version-1 row reads as: an empty outbox, nothing pending.
        Assert.Equal("[]", written["outbox"]!.ToJsonString());
        Assert.Equal(0, written["outboxSeq"]!.GetValue<long>());
        Assert.All(written["open"]!.AsArray(), q => Assert.False(q!["pending"]!.GetValue<bool>()));
        Assert.Equal("[]", written["reviews"]!.ToJsonString());
        Assert.Equal("[]", written["topicsOff"]!.ToJsonString());
        written.Remove("outbox");
        written.Remove("outboxSeq");
        written.Remove("reviews");
        written.Remove("topicsOff");
        foreach (var open in written["open"]!.AsArray())
        {
            open!.AsObject().Remove("pending");
        }

        Assert.Equal(fixture.Select(p => p.Key).Order(), written.Select(p => p.Key).Order());
        Assert.True(JsonNode.DeepEquals(fixture, written), $"round trip changed the row:\n{written}");
    }

    [Fact]
    public void RowWithWholeQuestionsReadsAndIsWrittenBackWithOnlyTheirReferences()
    {
        var fixture = JsonNode.Parse(File.ReadAllText(WholeQuestionFixturePath))!.AsObject();
        var storedLength = fixture.ToJsonString().Length;
        var state = new JsonGrainStateSerializer().Deserialize<LearnerState>(new BinaryData(File.ReadAllBytes(WholeQuestionFixturePath)));

        var open = Assert.Single(state.OpenQuestions);
        Assert.Equal(("strm-a-01", "Streaming", Level.Advanced, 3), (open.Question.Id, open.Question.Topic, open.Question.Level, open.Question.CorrectIndex));
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 5, 0, 0, TimeSpan.Zero), open.Ends);
        Assert.Equal(("📊 <b>Your progress</b>", 8L), (Assert.Single(state.Outbox).Html, state.OutboxSequence));
        var written = JsonNode.Parse(new JsonGrainStateSerializer().Serialize(state).ToString())!.AsObject();
        Assert.Equal(("[]", "[]"), (written["reviews"]!.ToJsonString(), written["topicsOff"]!.ToJsonString()));
        written.Remove("reviews");
        written.Remove("topicsOff");
        Assert.True(JsonNode.DeepEquals(WithOpenQuestionsByReference(fixture), written), $"round trip changed the row:\n{written}");
        Assert.True(written.ToJsonString().Length < storedLength - 800, "the open question's wording is still stored");
    }

    [Fact]
    public async Task StoredRowIsReadByTheGrainAfterReactivation()
    {
        _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var (id, user) = await SubscribedAndCollectedAsync();
        await ReplaceStoredRowAsync(id, FixtureFor(FixturePath, id));

        var stats = await user.GetStatsAsync();

        Assert.Equal((Level.Advanced, 9, 31, 22), (stats.Level, stats.BestStreak, stats.Answered, stats.Correct));
        Assert.Equal(new TimeOnly(8, 30), stats.DeliveryTime);
    }

    [Fact]
    public async Task OpenQuestionStoredWholeIsAnsweredAndExplainedFromTheBank()
    {
        var now = _cluster.Services.Clock.AdvanceToNextDayAt(new TimeOnly(10, 0));
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (id, user) = await SubscribedAndCollectedAsync();
        var payload = FixtureFor(WholeQuestionFixturePath, id);
        payload["lastDeliveredDay"] = today.ToString("O");
        payload["open"]![0]!["day"] = today.ToString("O");
        payload["open"]![0]!["ends"] = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToString("O");
        payload["outbox"] = new JsonArray();
        await ReplaceStoredRowAsync(id, payload);

        var outcome = await user.AnswerAsync(new AnswerSubmission(990_001, "strm-a-01", today, 3, MessageId: 91));

        Assert.Equal((AnswerStatus.Counted, true), (outcome.Status, outcome.IsCorrect));
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.EditsTo(id).Count > 0, TimeSpan.FromSeconds(30), "the feedback");
        var feedback = Assert.Single(_cluster.Services.Sender.EditsTo(id));
        Assert.Contains("One partition stops receiving data", feedback, StringComparison.Ordinal);
        Assert.Contains("WatermarkStrategy.withIdleness", feedback, StringComparison.Ordinal);
    }

    /// <summary>A learner subscribed through the grain, whose activation is gone (its send receipts saved) so that its row can be replaced.</summary>
    private async Task<(long Id, IUserGrain User)> SubscribedAndCollectedAsync()
    {
        var id = ClusterFixture.NewLearnerId();
        var user = _cluster.Grains.GetGrain<IUserGrain>(id);
        await user.SubscribeAsync(new Subscription(id, "en"));
        await _cluster.Services.Sender.WaitForQuestionsAsync(id);
        await ClockExtensions.WaitUntilAsync(() => _cluster.Services.Sender.TextsTo(id).Count > 0, TimeSpan.FromSeconds(30), "the welcome");
        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        return (id, user);
    }

    /// <summary>A fixture row made to belong to learner <paramref name="id"/>, in UTC.</summary>
    private static JsonNode FixtureFor(string path, long id)
    {
        var payload = JsonNode.Parse(File.ReadAllText(path))!;
        payload["learnerId"] = id;
        payload["chatId"] = id;
        payload["timeZone"] = "UTC";
        return payload;
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", name);

    /// <summary>A stored row as this build writes it back: each open question reduced to what the rules need of it.</summary>
    private static JsonObject WithOpenQuestionsByReference(JsonObject row)
    {
        foreach (var open in row["open"]!.AsArray())
        {
            var question = open!["question"]!.AsObject();
            open["question"] = new JsonObject
            {
                ["id"] = question["id"]!.DeepClone(),
                ["topic"] = question["topic"]!.DeepClone(),
                ["level"] = question["level"]!.DeepClone(),
                ["correctIndex"] = question["correctIndex"]!.DeepClone(),
            };
        }

        return row;
    }

    private async Task ReplaceStoredRowAsync(long id, JsonNode payload)
    {
        var updated = await Database.ScalarAsync<int>(_cluster.ConnectionString, """
            with changed as (
                update orleansstorage set payloadbinary = @payload
                where serviceid = @service and graintypestring = 'learner'
                  and convert_from(payloadbinary, 'UTF8')::jsonb->>'learnerId' = @learner
                returning 1)
            select count(*)::int from changed
            """,
            ("payload", Encoding.UTF8.GetBytes(payload.ToJsonString())), ("service", _cluster.ServiceId), ("learner", id.ToString()));
        Assert.Equal(1, updated);
        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    }
}
