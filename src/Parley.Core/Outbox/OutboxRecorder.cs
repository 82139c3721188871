using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Outbox;

/// <summary>
/// The record-outcome step: applies each outcome as it arrives (<see cref="OutboxTransitions"/>), commits them in short
/// windows, and announces the chatter messages that changed.
/// </summary>
public sealed partial class OutboxRecorder(
    ParleyDbContext db,
    DatabaseWriteGate writeGate,
    ChatterEvents events,
    Mailings.MailingProgress progress,
    OutboundMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxRecorder> logger)
{
    private readonly OutboxOptions _options = options.Value;

    /// <summary>How long results gather before a commit while deliveries are still running.</summary>
    private static readonly TimeSpan CommitWindow = TimeSpan.FromMilliseconds(25);

    /// <param name="results">Each claimed row with its attempt, or null when its delivery was not started (its lease is released).</param>
    /// <param name="deliveries">Completes when the last result is written; until then results gather for <see cref="CommitWindow"/>.</param>
    public async Task RecordAsync(ChannelReader<(OutboxItem Item, DeliveryAttempt? Attempt)> results, Task deliveries, CancellationToken cancellationToken)
    {
        // Outcomes are committed as they come in, not at the end of the batch: a crash then
        // re-sends only the deliveries that were between the server's 250 and this commit. A
        // short gathering window turns a stream of results into few commits (each one an fsync).
        while (await results.WaitToReadAsync(cancellationToken))
        {
            if (!deliveries.IsCompleted)
            {
                await Task.Delay(CommitWindow, cancellationToken); // wall time, not business time
            }

            var recorded = new List<ChatterMessage>();
            var mailings = new List<long>();
            while (results.TryRead(out var result))
            {
                if (result.Attempt is { } attempt)
                {
                    OutboxTransitions.ApplyOutcome(result.Item, attempt, clock.GetUtcNow(), _options);
                    var (item, message) = (result.Item, result.Item.ChatterMessage!);
                    metrics.Attempted(item.State, item.Recipient);
                    LogDelivery(item.Id, message.Id, message.MessageId, item.Recipient, item.State, item.LastCode, attempt.Result.ReplyText, attempt.Route);
                }
                else
                {
                    OutboxTransitions.Release(result.Item);
                }
                recorded.Add(result.Item.ChatterMessage!);
                if (result.Item.MailingId is { } mailingId)
                {
                    mailings.Add(mailingId);
                }
            }
            await using (await writeGate.EnterAsync(db, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            foreach (var message in recorded.DistinctBy(m => m.Id))
            {
                events.Publish(new RecordRef(message.RecordType, message.RecordId), message.Id);
            }

            foreach (var mailing in mailings.Distinct())
            {
                progress.Moved(mailing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {OutboxId} to {Recipient}: {State} ({Code} {Text}); chatter message {ChatterMessageId} <{MessageId}>, route: {Route}")]
    private partial void LogDelivery(long outboxId, long chatterMessageId, string? messageId, string recipient, DeliveryState state, int? code, string text, string? route);
}
