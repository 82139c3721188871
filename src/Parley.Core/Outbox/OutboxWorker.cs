using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Core.Outbox;

/// <summary>
/// Claims due outbox rows under a lease and delivers them. The lease (rather than a lock held
/// during delivery) lets several nodes share the queue and lets a crashed node's rows be
/// re-claimed: a crash between the remote 250 and our commit can send one duplicate, never lose mail.
/// On stop, no new delivery starts: the rows of the batch not yet started are released, the deliveries in flight finish
/// and their outcome is committed, until the host's shutdown time is up (then they are cancelled and keep their lease).
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    Common.WorkerHeartbeats heartbeats,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    /// <summary>Cancelled when the host's shutdown time is up; until then in-flight deliveries run to their end.</summary>
    private readonly CancellationTokenSource _abort = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var deadline = cancellationToken.Register(() => _abort.Cancel());
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var opts = options.Value;
        var loops = Math.Max(1, opts.ConcurrentBatches);
        return Task.WhenAll(Enumerable.Range(1, loops).Select(i => RunLoopAsync(loops == 1 ? opts.NodeName : $"{opts.NodeName}/{i}", stoppingToken)));
    }

    private async Task RunLoopAsync(string leaseOwner, CancellationToken cancellationToken)
    {
        try { await DeliverUntilStoppedAsync(leaseOwner, cancellationToken); }
        finally { heartbeats.Stopped(Common.WorkerHeartbeats.Outbox, leaseOwner); }
    }

    private async Task DeliverUntilStoppedAsync(string leaseOwner, CancellationToken cancellationToken)
    {
        var opts = options.Value;
        while (!cancellationToken.IsCancellationRequested)
        {
            heartbeats.Beat(Common.WorkerHeartbeats.Outbox, leaseOwner);
            int processed;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                processed = await scope.ServiceProvider.GetRequiredService<OutboxProcessor>().ProcessDueAsync(leaseOwner, _abort.Token, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(e);
                processed = 0;
            }
            if (processed == 0)
            {
                try { await signal.WaitAsync(opts.PollInterval, cancellationToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox worker hit an error; it will try again")]
    private partial void LogLoopFailed(Exception e);
}
