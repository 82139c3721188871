using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Data;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Inbound;

/// <summary>
/// The duplicate check for a whole batch, read in (at most) two queries: earlier inbound rows with the batch's
/// Message-IDs (not pending, failed or duplicate), and Message-IDs Parley sent. Rows routed in the batch are added as they
/// are routed, so a second copy within the batch is a duplicate of the first, as it was with one query per message.
/// </summary>
public sealed class KnownMessageIds
{
    private readonly Dictionary<string, (long Id, string Source)> _inbound = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    public static async Task<KnownMessageIds> LoadAsync(ParleyDbContext db, IEnumerable<PreparedMessage> prepared, CancellationToken cancellationToken)
    {
        var ids = prepared.Select(p => Truncate(p.Mime?.MessageId, InboundMessage.MaxMessageIdLength)).OfType<string>().Where(id => id.Length > 0).Distinct().ToList();
        var known = new KnownMessageIds();
        if (ids.Count == 0)
        {
            return known;
        }

        await foreach (var e in InboundQueries.For(db).Earlier(db, ids).WithCancellation(cancellationToken))
        {
            known._inbound.TryAdd(e.MessageId, (e.Id, e.Source));
        }
        // Only a Message-ID of Parley's own form can be one Parley sent; most batches have none, and skip the query.
        var ours = ids.Where(Outbox.MimeComposer.IsParleyMessageId).ToList();
        if (ours.Count == 0)
        {
            return known;
        }

        var own = await db.Messages.AsNoTracking().Where(m => ours.Contains(m.MessageId!) && m.Direction == MessageDirection.Out)
            .Select(m => m.MessageId!).Distinct().ToListAsync(cancellationToken);
        known._sent.UnionWith(own);
        return known;
    }

    /// <summary>Why the row is a duplicate (of an earlier row, or of an email Parley sent), or null.</summary>
    public string? DuplicateOf(InboundMessage inbound)
    {
        if (inbound.MessageId is not { Length: > 0 } messageId)
        {
            return null;
        }

        if (_inbound.TryGetValue(messageId, out var earlier) && earlier.Id != inbound.Id)
        {
            return $"Duplicate of inbound #{earlier.Id} (same Message-ID, received by {earlier.Source}); not posted again.";
        }

        return _sent.Contains(messageId) ? "Parley's own email came back (its Message-ID is one Parley sent); not posted, to avoid a loop." : null;
    }

    /// <summary>A row of the batch was routed: a later copy of it is a duplicate.</summary>
    public void Routed(InboundMessage inbound)
    {
        if (inbound.MessageId is { Length: > 0 } messageId
            && inbound.Status is not (InboundStatus.Pending or InboundStatus.Failed or InboundStatus.Duplicate))
        {
            _inbound.TryAdd(messageId, (inbound.Id, inbound.Source));
        }
    }

    /// <summary>Undoes <see cref="Routed"/> for a row whose routing was rolled back.</summary>
    public void Forget(InboundMessage inbound)
    {
        if (inbound.MessageId is { Length: > 0 } messageId && _inbound.TryGetValue(messageId, out var entry) && entry.Id == inbound.Id)
        {
            _inbound.Remove(messageId);
        }
    }
}
