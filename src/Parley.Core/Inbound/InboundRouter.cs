using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Inbound;

/// <summary>
/// Routes stored inbound messages to the chatter they belong to: a Message-ID Parley knows in
/// In-Reply-To/References, else the per-thread reply address. What cannot be routed is kept
/// as "unrouted" for an admin, never dropped.
/// </summary>
public sealed partial class InboundRouter(
    ParleyDbContext db,
    ReplyAddressProvider replyAddresses,
    ChatterEvents events,
    ILogger<InboundRouter> logger)
{
    public async Task<int> RoutePendingAsync(int batch, CancellationToken ct)
    {
        var pending = await db.Inbound.Include(i => i.RawMime)
            .Where(i => i.Status == InboundStatus.Pending).OrderBy(i => i.Id).Take(batch).ToListAsync(ct);
        foreach (var inbound in pending)
        {
            try
            {
                await RouteAsync(inbound, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the raw message and say why; one bad message must not stop the queue.
                db.ChangeTracker.Clear();
                var row = await db.Inbound.FirstAsync(i => i.Id == inbound.Id, ct);
                row.Status = InboundStatus.Failed;
                row.Error = $"Routing failed: {e.Message}";
                await db.SaveChangesAsync(ct);
                LogRoutingFailed(e, inbound.Id);
            }
        }
        return pending.Count;
    }

    private async Task RouteAsync(InboundMessage inbound, CancellationToken ct)
    {
        MimeMessage mime;
        try
        {
            using var stream = new MemoryStream(inbound.RawMime!.Content, writable: false);
            mime = await MimeMessage.LoadAsync(stream, ct);
        }
        catch (FormatException e)
        {
            inbound.Status = InboundStatus.Unrouted;
            inbound.Error = $"The message could not be parsed as MIME ({e.Message}); it is kept as received.";
            await db.SaveChangesAsync(ct);
            return;
        }

        inbound.MessageId = Truncate(mime.MessageId, 998);
        var record = await FindThreadAsync(mime, inbound, ct);
        if (record is null)
        {
            inbound.Status = InboundStatus.Unrouted;
            inbound.Error = "No thread matched: neither a known Message-ID in In-Reply-To/References nor a reply address.";
            await db.SaveChangesAsync(ct);
            LogUnrouted(inbound.Id, mime.MessageId);
            return;
        }

        var sender = mime.From.Mailboxes.FirstOrDefault();
        var html = mime.HtmlBody;
        var text = (mime.TextBody ?? (html is null ? "" : HtmlText.ToPlainText(html))).TrimEnd();
        var message = new ChatterMessage
        {
            RecordType = record.Value.Type,
            RecordId = record.Value.Id,
            Kind = MessageKind.Email,
            Direction = MessageDirection.In,
            AuthorName = string.IsNullOrWhiteSpace(sender?.Name) ? sender?.Address ?? inbound.MailFrom : sender.Name,
            From = Truncate(mime.From.ToString(), 2000),
            To = Truncate(mime.To.ToString(), 2000),
            Subject = Truncate(mime.Subject, 2000),
            BodyText = text,
            BodyHtml = html,
            MessageId = inbound.MessageId,
            InReplyTo = Truncate(mime.InReplyTo, 998),
            State = DeliveryState.Received,
            RawMimeId = inbound.RawMimeId,
            CreatedAt = inbound.ReceivedAt,
        };
        inbound.ChatterMessage = message;
        inbound.Status = InboundStatus.Routed;
        inbound.Error = null;
        await db.SaveChangesAsync(ct);
        events.Publish(record.Value, message.Id);
    }

    private async Task<RecordRef?> FindThreadAsync(MimeMessage mime, InboundMessage inbound, CancellationToken ct)
    {
        var ids = new List<string>();
        if (!string.IsNullOrEmpty(mime.InReplyTo)) ids.Add(mime.InReplyTo);
        ids.AddRange(mime.References.Where(r => !string.IsNullOrEmpty(r)));
        if (ids.Count > 0)
        {
            var distinct = ids.Distinct().Take(100).ToList();
            var match = await db.Messages.AsNoTracking()
                .Where(m => m.MessageId != null && distinct.Contains(m.MessageId))
                .OrderByDescending(m => m.Id)
                .Select(m => new { m.RecordType, m.RecordId })
                .FirstOrDefaultAsync(ct);
            if (match is not null) return new RecordRef(match.RecordType, match.RecordId);
        }

        // Providers that rewrite Message-IDs still keep the address the customer replied to.
        var replyAddress = await replyAddresses.GetAsync(ct);
        var candidates = inbound.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Concat(mime.To.Mailboxes.Concat(mime.Cc.Mailboxes).Select(m => m.Address));
        foreach (var address in candidates)
        {
            if (replyAddress.Parse(address) is { } record && RecordDirectory.IsKnownType(record.Type)
                && await db.Contacts.AnyAsync(c => c.Id == record.Id, ct))
                return record;
        }
        return null;
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing inbound message {Id} failed; kept as failed")]
    private partial void LogRoutingFailed(Exception e, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound message {Id} ({MessageId}) matched no thread; kept as unrouted")]
    private partial void LogUnrouted(long id, string? messageId);
}
