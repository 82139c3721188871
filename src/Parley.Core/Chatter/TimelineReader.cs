using Microsoft.EntityFrameworkCore;
using Parley.Core.Attachments;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Inbound;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <param name="Html">The display form of a received HTML body; null for other messages.</param>
/// <param name="SenderDoubt">Why the header From of a received message is not proven (a DMARC failure); null when it is.</param>
/// <param name="Mailing">For an email of a mailing, the mailing (id, name): the timeline shows one line, not the body.</param>
public sealed record TimelineEntry(ChatterMessage Message, ReceivedHtml? Html, IReadOnlyList<MessageAttachment> Files, string? SenderDoubt,
    (long Id, string Name)? Mailing = null)
{
    /// <summary>For a received email whose sender is a known contact (and not in doubt): her name as the address book has it.</summary>
    public string? ContactName { get; init; }

    /// <summary>For an email sent from this chatter: its recipients' deliveries still waiting or failed, which can be retried or cancelled here.</summary>
    public IReadOnlyList<Outbox.OutboxItem> OpenDeliveries { get; init; } = [];

    /// <summary>The sender's address of a received email, shown beside (or on hover over) her name.</summary>
    public string? SenderAddress => Message.Direction == MessageDirection.In && MimeKit.MailboxAddress.TryParse(Message.From, out var from) ? from.Address : null;
}

/// <summary>One page of a record's timeline with what the page shows beside each message: its files and its sanitized HTML.</summary>
public sealed class TimelineReader(ParleyDbContext db, ChatterService chatter, HtmlCleaner cleaner, Contacts.ContactService contacts)
{
    public async Task<List<TimelineEntry>> ReadAsync(RecordRef record, long? beforeId, int take, CancellationToken cancellationToken)
    {
        var messages = await chatter.ListAsync(record, beforeId, take, cancellationToken);
        var inbound = messages.Where(m => m.Direction == MessageDirection.In).Select(m => m.Id).ToList();
        var mailings = await MailingsOfAsync(messages, cancellationToken);
        // Emails sent with files have them listed too (ChatterService lists them from the MIME that left).
        var emails = messages.Where(m => m.Kind == MessageKind.Email).Select(m => m.Id).ToList();
        if (emails.Count == 0)
        {
            return messages.Select(m => new TimelineEntry(m, null, [], null, Mailing(mailings, m))).ToList();
        }

        var files = (await db.Attachments.AsNoTracking().Where(a => emails.Contains(a.ChatterMessageId)).OrderBy(a => a.PartIndex).ToListAsync(cancellationToken))
            .ToLookup(a => a.ChatterMessageId);
        var html = await db.ReceivedHtml.AsNoTracking().Where(r => inbound.Contains(r.ChatterMessageId)).ToDictionaryAsync(r => r.ChatterMessageId, cancellationToken);
        await CleanOlderMessagesAsync(messages, html, files, cancellationToken);
        var entries = messages.Select(m => new TimelineEntry(m, html.GetValueOrDefault(m.Id), files[m.Id].ToList(),
            m.Direction == MessageDirection.In ? SenderTrust.Doubt(InboundAuthentication.Parse(m.AuthenticationResults), SenderVerification.DmarcPolicy) : null,
            Mailing(mailings, m)))
            .ToList();
        return await WithOpenDeliveriesAsync(await WithContactNamesAsync(entries, cancellationToken), cancellationToken);
    }

    // The per-recipient rows the Outbox page can retry or cancel, so the chatter offers the same on the message itself.
    private async Task<List<TimelineEntry>> WithOpenDeliveriesAsync(List<TimelineEntry> entries, CancellationToken cancellationToken)
    {
        var waiting = entries.Where(e => e.Mailing is null && e.Message.Direction == MessageDirection.Out
            && e.Message.State is DeliveryState.Deferred or DeliveryState.Failed or DeliveryState.Queued).Select(e => e.Message.Id).ToList();
        if (waiting.Count == 0)
        {
            return entries;
        }

        var rows = (await db.Outbox.AsNoTracking()
            .Where(o => waiting.Contains(o.ChatterMessageId) && (o.State == DeliveryState.Deferred || o.State == DeliveryState.Failed || o.State == DeliveryState.Queued))
            .OrderBy(o => o.Id).ToListAsync(cancellationToken)).ToLookup(o => o.ChatterMessageId);
        return entries.Select(e => rows.Contains(e.Message.Id) ? e with { OpenDeliveries = rows[e.Message.Id].ToList() } : e).ToList();
    }

    // "Zoë Martin replied", not "zoe@… replied": a sender the address book knows is shown by her name — unless the
    // header From is in doubt (failed DMARC), since then the message is not proven to be hers.
    private async Task<List<TimelineEntry>> WithContactNamesAsync(List<TimelineEntry> entries, CancellationToken cancellationToken)
    {
        var names = await contacts.NamesByEmailAsync(entries.Where(e => e.SenderDoubt is null).Select(e => e.SenderAddress), cancellationToken);
        if (names.Count == 0)
        {
            return entries;
        }

        return entries.Select(e => e.SenderDoubt is null && e.SenderAddress is { } address && names.TryGetValue(address, out var name)
            ? e with { ContactName = name } : e).ToList();
    }

    /// <summary>The mailing each outgoing email of the page belongs to, by chatter message id.</summary>
    private async Task<Dictionary<long, (long Id, string Name)>> MailingsOfAsync(List<ChatterMessage> messages, CancellationToken cancellationToken)
    {
        var outgoing = messages.Where(m => m.Direction == MessageDirection.Out && m.Kind == MessageKind.Email).Select(m => (long?)m.Id).ToList();
        if (outgoing.Count == 0)
        {
            return [];
        }

        var rows = await (from r in db.MailingRecipients.AsNoTracking()
                          where outgoing.Contains(r.ChatterMessageId)
                          join g in db.Mailings.AsNoTracking() on r.MailingId equals g.Id
                          select new { MessageId = r.ChatterMessageId!.Value, g.Id, g.Name }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.MessageId, r => (r.Id, r.Name));
    }

    private static (long Id, string Name)? Mailing(Dictionary<long, (long Id, string Name)> mailings, ChatterMessage m) =>
        mailings.TryGetValue(m.Id, out var mailing) ? mailing : null;

    // Messages received before Parley kept their display form are sanitized (bounded, like at routing) the first time
    // they are shown, and kept.
    private async Task CleanOlderMessagesAsync(List<ChatterMessage> messages, Dictionary<long, ReceivedHtml> html, ILookup<long, MessageAttachment> files,
        CancellationToken cancellationToken)
    {
        var added = false;
        foreach (var m in messages)
        {
            if (m.Direction != MessageDirection.In || m.BodyHtml is not { } body || html.ContainsKey(m.Id))
            {
                continue;
            }

            var made = ReceivedHtml.Make(cleaner, m, body, files[m.Id].ToList(), cancellationToken);
            made.Message = null;
            made.ChatterMessageId = m.Id;
            db.ReceivedHtml.Add(made);
            html[m.Id] = made;
            added = true;
        }
        if (!added)
        {
            return;
        }

        try { await db.SaveChangesAsync(cancellationToken); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another view kept it first; ours is the same
    }
}
