using Parley.Core.Chatter;

namespace Parley.Core.Inbound;

/// <summary>
/// Writes a received message, raw, in one committed transaction. Callers acknowledge the
/// sender (SMTP 250, mailgate exit 0) only after this returns; routing happens later from the row.
/// Concurrent stores share one commit (<see cref="InboundCommitQueue"/>), and the bytes they hold until then share one
/// <see cref="InboundMemoryBudget"/>.
/// </summary>
public sealed class InboundStore(InboundCommitQueue queue, InboundMemoryBudget memory, InboundMetrics metrics)
{
    public async Task<long> StoreAsync(InboundEnvelope envelope, Stream raw, CancellationToken cancellationToken)
    {
        if (!raw.CanSeek)
        {
            // A stream of unknown length (today's callers all hand a buffer or the listener's spool file): read it whole first.
            using var buffer = new MemoryStream();
            await raw.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            return await StoreAsync(envelope, buffer, cancellationToken);
        }

        // Read once into an array of the exact size: the row's content, with no growing buffer and no second copy.
        using var lease = await memory.AcquireAsync(raw.Length - raw.Position, cancellationToken);
        var bytes = new byte[raw.Length - raw.Position];
        await raw.ReadExactlyAsync(bytes, cancellationToken);
        var rawMime = new RawMime { Content = bytes, CreatedAt = envelope.ReceivedAt };
        var row = new InboundMessage
        {
            ReceivedAt = envelope.ReceivedAt,
            Source = envelope.Source,
            ClientAddress = envelope.ClientAddress,
            Helo = envelope.Helo,
            MailFrom = envelope.MailFrom,
            Recipients = string.Join(",", envelope.Recipients),
            RawMime = rawMime,
            Status = InboundStatus.Pending,
        };
        var id = await queue.CommitAsync(row, cancellationToken);
        metrics.Received(envelope.Source);
        return id;
    }
}
