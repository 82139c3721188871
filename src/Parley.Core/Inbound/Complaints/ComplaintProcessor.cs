using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Mailings;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Suppression;
using Parley.Deliverability.Feedback;

namespace Parley.Core.Inbound.Complaints;

/// <summary>
/// Applies a feedback-loop complaint (ARF, RFC 5965: abuse, fraud, virus) to what Parley sent: finds the email by the
/// VERP address (the envelope recipient, Original-Mail-From or the original's Return-Path), else by the original's
/// Message-ID, suppresses the recipient at once with reason complaint, counts it on the mailing, and says so in the
/// record's timeline. A malformed report is left unrouted, raw, with the reason. Other feedback (not-spam, auth-failure)
/// passes on to the rest of routing, and so does a report received before (same Message-ID: the duplicate step keeps it).
/// A special inbox (<see cref="SpecialInboxes"/>) that has no address of its own: reports come to VERP addresses, abuse@ or
/// postmaster@. Changes are tracked and saved by the router.
/// </summary>
public sealed class ComplaintProcessor(ParleyDbContext db, SuppressionService suppressions, MailingProgress progress, TimeProvider clock) : IInboundMailbox
{
    public ValueTask<bool> HasAddressAsync(string localPart, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>Null when the message is no complaint (it then goes on to bounce and reply routing).</summary>
    public async Task<InboxOutcome?> TryTakeAsync(InboundMessage inbound, MimeMessage mime, IReadOnlyList<string> recipients, RouteContext context,
        CancellationToken cancellationToken)
    {
        if (FeedbackReportParser.Parse(mime) is not { } parse || context.Known.DuplicateOf(inbound) is not null)
        {
            return null;
        }
        var addresses = context.Addresses;
        if (parse.Report is not { } report)
        {
            return new InboxOutcome($"Malformed feedback report: {parse.Error} It is kept as received.", null, Unusable: true);
        }
        if (!report.IsComplaint)
        {
            return null;
        }
        var reporter = report.UserAgent ?? report.ReportingMta ?? "a feedback loop";
        var item = await FindOutboxItemAsync(report, recipients, addresses, cancellationToken);
        var address = item?.Recipient ?? await MailedAddressAsync(report, cancellationToken);
        if (address is null)
        {
            var which = report.OriginalMessageId is { } id ? $"Message-ID <{id}>" : "no Message-ID and no VERP address";
            return new InboxOutcome($"A complaint ({report.FeedbackTypeName}) from {reporter} about an email Parley cannot find ({which}); nothing changed.",
                null, Unusable: true);
        }
        var subject = item?.ChatterMessage?.Subject ?? report.OriginalHeaders?[HeaderId.Subject];
        var about = subject is null ? "an email" : $"\"{subject}\"";
        await suppressions.SuppressAsync(address, SuppressionReason.Complaint,
            $"Complained ({report.FeedbackTypeName}) through {reporter} about {about}.", cancellationToken);
        if (item?.MailingId is { } mailingId)
        {
            await MarkRecipientAsync(mailingId, item.Id, cancellationToken);
        }
        (RecordRef, ChatterMessage)? posted = item?.ChatterMessage is { } original ? Post(original, address, about, reporter) : null;
        var where = item is null ? $"the last email to {address}" : $"outbox #{item.Id} to {address}";
        return new InboxOutcome($"Complaint ({report.FeedbackTypeName}) from {reporter} about {where}: the address is suppressed.", posted, Unusable: false);
    }

    private async Task<OutboxItem?> FindOutboxItemAsync(FeedbackReport report, IReadOnlyList<string> recipients, AliasDomainAddresses addresses,
        CancellationToken cancellationToken)
    {
        var verpCandidates = recipients.Append(report.OriginalMailFrom).Append(report.OriginalHeaders?["Return-Path"]?.Trim().Trim('<', '>'));
        foreach (var candidate in verpCandidates)
        {
            if (candidate is not null && addresses.BouncedOutboxItemOf(candidate) is { } id
                && await db.Outbox.Include(o => o.ChatterMessage).FirstOrDefaultAsync(o => o.Id == id, cancellationToken) is { } byVerp)
            {
                return byVerp;
            }
        }
        if (report.OriginalMessageId is not { Length: > 0 } messageId)
        {
            return null;
        }
        var items = await db.Outbox.Include(o => o.ChatterMessage).Where(o => o.ChatterMessage!.MessageId == messageId).ToListAsync(cancellationToken);
        var reported = report.OriginalRcptTo.Select(a => EmailAddress.Normalize(a) ?? a.ToLowerInvariant()).ToList();
        return items.FirstOrDefault(o => reported.Contains(o.Recipient)) ?? (items.Count == 1 ? items[0] : null);
    }

    /// <summary>A report that names only the recipient: suppressed if Parley ever mailed the address (never a stranger's).</summary>
    private async Task<string?> MailedAddressAsync(FeedbackReport report, CancellationToken cancellationToken)
    {
        foreach (var recipient in report.OriginalRcptTo)
        {
            var address = EmailAddress.Normalize(recipient);
            if (address is not null && await db.Outbox.AnyAsync(o => o.Recipient == address, cancellationToken))
            {
                return address;
            }
        }
        return null;
    }

    private async Task MarkRecipientAsync(long mailingId, long outboxItemId, CancellationToken cancellationToken)
    {
        var recipient = await db.MailingRecipients.FirstOrDefaultAsync(r => r.MailingId == mailingId && r.OutboxItemId == outboxItemId, cancellationToken);
        if (recipient is { ComplainedAt: null })
        {
            recipient.ComplainedAt = clock.GetUtcNow();
            progress.Moved(mailingId);
        }
    }

    private (RecordRef, ChatterMessage) Post(ChatterMessage original, string address, string about, string reporter)
    {
        var record = new RecordRef(original.RecordType, original.RecordId);
        var entry = ChatterEntries.Event(record, ChatterEntries.ParleyAuthor,
            $"{address} marked {about} as spam (a complaint through {reporter}). The address is suppressed: Parley sends it no more email.",
            clock.GetUtcNow());
        entry.Subject = original.Subject;
        db.Messages.Add(entry);
        return (record, entry);
    }
}
