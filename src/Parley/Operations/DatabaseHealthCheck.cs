using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Core.Data;

namespace Parley.Operations;

/// <summary>The database answers a query (not only a connection: opening SQLite reads nothing).</summary>
public sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Users.AsNoTracking().AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The reason goes to the log (the health check service logs it), not to the anonymous answer.
            return HealthCheckResult.Unhealthy("not reachable", e);
        }
    }
}
