using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Inbound;

namespace Parley.Operations;

/// <summary>
/// The outbox and inbound workers run and are not stalled. Stalled: one of a worker's loops has not gone round for
/// <see cref="HealthOptions.StallAfter"/> while that worker has work (mail due in the outbox, messages waiting to be
/// routed). An idle loop goes round at every poll, so an old beat with nothing to do is not a stall.
/// </summary>
public sealed class WorkerHealthCheck(
    WorkerHeartbeats heartbeats, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, IOptions<HealthOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("stopping");
        }

        var problems = new List<string>();
        foreach (var worker in (string[])[WorkerHeartbeats.Outbox, WorkerHeartbeats.Inbound])
        {
            if (await ProblemOfAsync(worker, cancellationToken) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems.Count == 0 ? HealthCheckResult.Healthy("running") : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }

    private async Task<string?> ProblemOfAsync(string worker, CancellationToken cancellationToken)
    {
        var loops = heartbeats.LoopsOf(worker);
        if (loops.Count == 0)
        {
            return $"{worker} worker not started";
        }

        if (loops.Any(l => !l.Running))
        {
            return $"{worker} worker stopped";
        }

        var oldest = loops.Min(l => l.At);
        var silent = clock.GetUtcNow() - oldest;
        if (silent < options.Value.StallAfter)
        {
            return null;
        }

        try
        {
            if (!await HasWorkAsync(worker, cancellationToken))
            {
                return null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return $"{worker} worker silent for {(int)silent.TotalSeconds} s, and its queue could not be read";
        }
        return $"{worker} worker stalled (no progress for {(int)silent.TotalSeconds} s while work is waiting)";
    }

    private async Task<bool> HasWorkAsync(string worker, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var now = clock.GetUtcNow();
        return worker == WorkerHeartbeats.Outbox
            ? await db.Outbox.AnyAsync(o => (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && o.NextAttemptAt <= now, cancellationToken)
            : await db.Inbound.AnyAsync(i => i.Status == InboundStatus.Pending, cancellationToken);
    }
}
