using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Quiz.Gateway;

/// <summary>Ready when the cluster answers this gateway's client: at least one active silo.</summary>
public sealed class ClusterReadyHealthCheck : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly IClusterClient _client;

    public ClusterReadyHealthCheck(IClusterClient client)
    {
        _client = client;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await _client.GetGrain<IManagementGrain>(0).GetHosts(true, cancellationToken).WaitAsync(Timeout, cancellationToken);
            return hosts.Count > 0 ? HealthCheckResult.Healthy($"{hosts.Count} active silos") : HealthCheckResult.Unhealthy("No active silo.");
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", exception);
        }
    }
}
