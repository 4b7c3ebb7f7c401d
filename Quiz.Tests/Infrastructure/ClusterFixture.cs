namespace Quiz.Tests.Infrastructure;

/// <summary>One single-silo cluster on PostgreSQL shared by the grain tests; each test uses its own learner ids.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public QuizTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await QuizTestCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>A learner id no other test uses, in this run or an earlier one against the same database.</summary>
    public static long NewLearnerId() => LearnerIds.Next();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
