using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Core.Common;

namespace Parley.Core.Inbound;

/// <summary>Routes stored messages soon after they arrive, and on start-up routes whatever a crash left pending.</summary>
public sealed partial class InboundWorker(IServiceScopeFactory scopes, InboundSignal signal, WorkerHeartbeats heartbeats, ILogger<InboundWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On a thread of its own: a routing pass is mostly synchronous work between a few real waits, and each wait's
    /// continuation would otherwise queue on the thread pool behind the SMTP sessions' work.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DedicatedThread.Run("Parley inbound router", () => RouteLoopAsync(stoppingToken));

    private async Task RouteLoopAsync(CancellationToken cancellationToken)
    {
        try { await RouteUntilStoppedAsync(cancellationToken); }
        finally { heartbeats.Stopped(WorkerHeartbeats.Inbound, "router"); }
    }

    private async Task RouteUntilStoppedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            heartbeats.Beat(WorkerHeartbeats.Inbound, "router");
            var routed = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                routed = await scope.ServiceProvider.GetRequiredService<InboundRouter>().RoutePendingAsync(100, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(e);
            }
            if (routed == 0)
            {
                try { await signal.WaitAsync(Poll, cancellationToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbound router hit an error; it will try again")]
    private partial void LogLoopFailed(Exception e);
}
