using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Parley.Core.Outbox;

/// <summary>
/// One pass of the delivery worker, in three steps: claim due rows (<see cref="OutboxClaimer"/>), send each
/// (<see cref="OutboxSender"/>, concurrently, touching no database), and record each outcome on the row and its
/// chatter message as it arrives (<see cref="OutboxRecorder"/>).
/// </summary>
public sealed class OutboxProcessor(
    SendContextReader contexts,
    OutboxClaimer claimer,
    OutboxSender sender,
    OutboxRecorder recorder,
    OutboxSignal signal,
    OutboundMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider clock)
{
    private readonly OutboxOptions _options = options.Value;

    public Task<int> ProcessDueAsync(CancellationToken cancellationToken) => ProcessDueAsync(_options.NodeName, cancellationToken);

    /// <param name="leaseOwner">Who the claimed rows are leased to: this node, or one of its batch loops.</param>
    /// <param name="stopStarting">The process is stopping: no delivery starts from then on (the rest of the batch is
    /// released), while those in flight run on under <paramref name="cancellationToken"/> and their outcome is committed.</param>
    public async Task<int> ProcessDueAsync(string leaseOwner, CancellationToken cancellationToken, CancellationToken stopStarting = default)
    {
        // Everything that can fail for reasons unrelated to one message happens before the
        // claim, so a failure never strands claimed rows under a lease.
        var context = await contexts.ReadAsync(cancellationToken);
        if (stopStarting.IsCancellationRequested)
        {
            return 0;
        }

        var claimed = await claimer.ClaimAsync(leaseOwner, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }
        // A full batch suggests more is due: wake a sibling loop now, so it claims and delivers alongside this one.
        if (claimed.Count >= _options.BatchSize)
        {
            signal.Notify();
        }

        var content = await claimer.LoadContentAsync(claimed, cancellationToken);

        // No delivery starts after half the lease: the rest are released untouched, so a slow
        // batch never outlives its lease and lets another node send the same row again.
        using var startWindow = new CancellationTokenSource(_options.Lease / 2, clock);
        using var stopping = stopStarting.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), startWindow);
        var results = Channel.CreateUnbounded<(OutboxItem Item, DeliveryAttempt? Attempt)>(new UnboundedChannelOptions { SingleReader = true });
        var deliveries = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(claimed,
                    new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDeliveries, CancellationToken = cancellationToken },
                    async (item, token) => await results.Writer.WriteAsync((item, startWindow.IsCancellationRequested ? null
                        : await TimedSendAsync(item, content.GetValueOrDefault(item.ChatterMessage!.RawMimeId ?? 0), context, token)), token));
            }
            finally
            {
                results.Writer.Complete();
            }
        }, cancellationToken);

        await recorder.RecordAsync(results.Reader, deliveries, cancellationToken);
        await deliveries;
        return claimed.Count;
    }

    private async Task<DeliveryAttempt> TimedSendAsync(OutboxItem item, byte[]? raw, SendContext context, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var attempt = await sender.SendAsync(item, raw, context, cancellationToken);
        metrics.Delivered(attempt.Result.Outcome, clock.GetElapsedTime(started));
        return attempt;
    }
}
