using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Inbound;

public sealed record InboundStats(int Received, int Routed, int Unrouted, int Bounces, int Failed, int Pending, int Duplicates, int LoopLimited);

/// <summary>The admin's view of inbound mail: counts, what was not placed, and assigning it to a record by hand.</summary>
public sealed class InboundAdminService(ParleyDbContext db, RecordDirectory records, InboundPoster poster, ChatterEvents events, ContactService contacts)
{
    public static readonly InboundStatus[] NeedsAttention = [InboundStatus.Unrouted, InboundStatus.Failed, InboundStatus.LoopLimited];

    public async Task<InboundStats> StatsAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Inbound.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        int C(InboundStatus s) => counts.GetValueOrDefault(s);
        return new InboundStats(counts.Values.Sum(), C(InboundStatus.Routed), C(InboundStatus.Unrouted), C(InboundStatus.Bounce),
            C(InboundStatus.Failed), C(InboundStatus.Pending), C(InboundStatus.Duplicate), C(InboundStatus.LoopLimited));
    }

    /// <summary>Unrouted, failed and loop-limited messages, newest first.</summary>
    public Task<List<InboundMessage>> ListUnroutedAsync(int take, CancellationToken cancellationToken) =>
        db.Inbound.AsNoTracking().Where(i => NeedsAttention.Contains(i.Status))
            .OrderByDescending(i => i.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);

    public Task<List<InboundMessage>> ListAsync(InboundStatus? status, int take, CancellationToken cancellationToken) =>
        db.Inbound.AsNoTracking().Where(i => status == null || i.Status == status)
            .OrderByDescending(i => i.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);

    /// <summary>Posts a message that was not placed (unrouted, failed, loop-limited) to a record's chatter.</summary>
    public async Task<ChatterMessage> AssignAsync(long inboundId, string? recordType, long recordId, CancellationToken cancellationToken)
    {
        var type = (recordType ?? "").Trim().ToLowerInvariant();
        if (!RecordDirectory.IsKnownType(type))
        {
            throw new InvalidInputException("recordType", $"Choose a record type: {string.Join(", ", RecordDirectory.KnownTypes)}.");
        }

        var record = new RecordRef(type, recordId);
        await records.GetAsync(record, cancellationToken);
        var inbound = await db.Inbound.Include(i => i.RawMime).FirstOrDefaultAsync(i => i.Id == inboundId, cancellationToken)
            ?? throw new NotFoundException($"Inbound message {inboundId}");
        if (!NeedsAttention.Contains(inbound.Status))
        {
            throw new InvalidInputException("id", inbound.Status == InboundStatus.Pending
                ? "This message is still waiting to be routed; try again in a moment."
                : $"This message is already {inbound.Status.ToString().ToLowerInvariant()}; only unrouted, failed or loop-limited messages can be assigned.");
        }

        MimeMessage? mime = null;
        try
        {
            using var stream = new MemoryStream(inbound.RawMime!.Content, writable: false);
            mime = await MimeMessage.LoadAsync(stream, cancellationToken);
            inbound.MessageId ??= mime.MessageId is { Length: <= 998 } id ? id : null;
        }
        catch (FormatException)
        {
            // Posted with a note; the raw message stays downloadable.
        }
        var message = await poster.PostAsync(inbound, mime, record, inbound.AuthenticationResults, cancellationToken);
        inbound.Route = $"Assigned by an admin to {record.Type} {record.Id}.";
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(record, message.Id);
        return message;
    }

    /// <summary>
    /// Assigns a message to the contact of its From header, creating that contact (name and address from the header)
    /// when there is none yet: the admin's one click for a newcomer's first mail. A message that failed DMARC may come
    /// from anyone but the address it shows, so that needs <paramref name="despiteFailedDmarc"/>: the admin saw the warning.
    /// </summary>
    public async Task<(Contact Contact, bool Created)> AssignToSenderAsync(long inboundId, bool despiteFailedDmarc, CancellationToken cancellationToken)
    {
        var found = await db.Inbound.Where(i => i.Id == inboundId).Select(i => new { i.RawMime!.Content, i.AuthenticationResults }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"Inbound message {inboundId}");
        if (FailedDmarc(found.AuthenticationResults) && !despiteFailedDmarc)
        {
            throw new InvalidInputException("id", $"{FailedDmarcWarning} Tick \"Create the contact anyway\" if you checked that it is really from them.");
        }

        var raw = found.Content;
        var sender = Sender(raw) ?? throw new InvalidInputException("id", "This message has no readable sender address in its From header; assign it by contact instead.");
        var contact = await contacts.FindByEmailAsync(sender.Address, cancellationToken);
        var created = contact is null;
        contact ??= await contacts.CreateAsync(ContactInput.FromSender(sender.Address, sender.Name), cancellationToken);
        await AssignAsync(inboundId, "contact", contact.Id, cancellationToken);
        return (contact, created);
    }

    public const string FailedDmarcWarning = "This message failed DMARC; the sender may not be who they say.";

    /// <summary>Whether the Authentication-Results Parley wrote on arrival say the header From failed its domain's DMARC.</summary>
    public static bool FailedDmarc(string? authenticationResults) => InboundAuthentication.Parse(authenticationResults)?.Dmarc == "fail";

    private static MailboxAddress? Sender(byte[] raw)
    {
        var from = DeliveryHeaders.Peek(raw)?[HeaderId.From];
        if (from is null || !InternetAddressList.TryParse(from, out var list))
        {
            return null;
        }

        var first = list.Mailboxes.FirstOrDefault();
        return EmailAddress.Normalize(first?.Address) is { } email ? new MailboxAddress(first!.Name, email) : null;
    }
}
