using Parley.Core.Chatter;

namespace Parley.Core.Inbound;

/// <summary>
/// Writes a received message, raw, in one committed transaction. Callers acknowledge the
/// sender (SMTP 250, mailgate exit 0) only after this returns; routing happens later from the row.
/// Concurrent stores share one commit (<see cref="InboundCommitQueue"/>).
/// </summary>
public sealed class InboundStore(InboundCommitQueue queue)
{
    public async Task<long> StoreAsync(InboundEnvelopeData envelope, Stream raw, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await raw.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
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
        return await queue.CommitAsync(row, ct);
    }
}
