using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Smtp.Listener;

namespace Parley.Operations;

/// <summary>The SMTP listener is bound and accepting (not yet started, or stopping, is not ready).</summary>
public sealed class SmtpListenerHealthCheck(SmtpListener listener) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.IsAccepting ? HealthCheckResult.Healthy("accepting") : HealthCheckResult.Unhealthy("not accepting connections"));
}
