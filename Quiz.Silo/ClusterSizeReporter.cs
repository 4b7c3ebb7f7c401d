namespace Quiz.Silo;

/// <summary>Reports the active silos in this silo's view of the membership as <c>quiz.cluster.silos</c>.</summary>
public sealed class ClusterSizeReporter(IClusterMembershipService membership, QuizMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveClusterSize(() => membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
