using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Quiz.Silo;

/// <summary>Ready once this silo is an active member of the cluster.</summary>
public sealed class SiloReadyHealthCheck : IHealthCheck
{
    private readonly IClusterMembershipService _membership;
    private readonly ILocalSiloDetails _silo;

    public SiloReadyHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo)
    {
        _membership = membership;
        _silo = silo;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = _membership.CurrentSnapshot.GetSiloStatus(_silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"This silo is {status} in the cluster."));
    }
}
