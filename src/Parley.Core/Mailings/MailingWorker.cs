using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Data.Cluster;
using Parley.Core.Outbox;

namespace Parley.Core.Mailings;

/// <summary>
/// The scheduler: runs a <see cref="MailingScheduler"/> pass when woken (a mailing sent off, outbox rows of a mailing
/// recorded) or at the poll interval, and sleeps no longer than until the next scheduled mailing is due. One node of a
/// cluster runs the passes (it holds the <see cref="TurnName"/> lease, renewed each pass); the others ask at each poll
/// and take over when the holder stops, or within <see cref="HoldFor"/> when it dies.
/// </summary>
public sealed partial class MailingWorker(
    IServiceScopeFactory scopes,
    MailingSignal signal,
    IOptions<MailingOptions> options,
    IOptions<OutboxOptions> outbox,
    TimeProvider clock,
    ILogger<MailingWorker> logger) : BackgroundService
{
    /// <summary>Passes are at least this far apart, however often deliveries wake the worker.</summary>
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(200);

    /// <summary>The scheduler's lease row (<see cref="PeriodicTurn"/>).</summary>
    public const string TurnName = "mailing-scheduler";

    /// <summary>Longer than a pass (queuing is itself leased per mailing, so an overlap would only cost work).</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            await PeriodicTurn.ReleaseOnStopAsync(scopes, TurnName);
        }
    }

    private async Task RunUntilStoppedAsync(CancellationToken cancellationToken)
    {
        var leaseOwner = outbox.Value.NodeName;
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if ((await scope.ServiceProvider.GetRequiredService<PeriodicTurn>().HoldAsync(TurnName, HoldFor, cancellationToken)).Taken)
                {
                    next = await scope.ServiceProvider.GetRequiredService<MailingScheduler>().RunPassAsync(leaseOwner, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPassFailed(e);
            }
            var wait = options.Value.PollInterval;
            if (next is { } due && due - clock.GetUtcNow() < wait)
            {
                wait = due - clock.GetUtcNow();
            }
            try
            {
                await Task.Delay(MinimumGap, clock, cancellationToken);
                if (wait > MinimumGap)
                {
                    await signal.WaitAsync(wait - MinimumGap, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The mailing worker hit an error; it will try again")]
    private partial void LogPassFailed(Exception e);
}
