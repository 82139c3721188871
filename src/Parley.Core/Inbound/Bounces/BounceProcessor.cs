using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Suppression;

namespace Parley.Core.Inbound.Bounces;

/// <summary>The outcome of bounce handling, in words for the inbound list, and which timelines changed.</summary>
public sealed record BounceOutcome(string Description, IReadOnlyList<(RecordRef Record, long MessageId)> Changed);

/// <summary>
/// Applies a bounce to what Parley sent: finds the outbox row (VERP address first, then the original
/// Message-ID, then the recipient), marks it and its chatter message <c>bounced</c> with the status and
/// the remote server's words, counts the bounce per address and suppresses after the hard-bounce threshold.
/// </summary>
public sealed class BounceProcessor(ParleyDbContext db, SuppressionService suppressions)
{
    /// <summary>Null when the message is not a bounce (it then goes on to reply and alias routing).</summary>
    public async Task<BounceOutcome?> TryProcessAsync(InboundMessage inbound, MimeMessage mime, IReadOnlyList<string> recipients,
        AliasDomainAddresses addresses, int hardBounceThreshold, CancellationToken cancellationToken)
    {
        long? verpId = null;
        foreach (var address in recipients.Concat(mime.To.Mailboxes.Select(m => m.Address)))
        {
            if (addresses.BouncedOutboxItemOf(address) is { } id) { verpId = id; break; }
        }

        var report = DsnParser.Parse(mime);
        if (report is null)
        {
            if (verpId is null)
            {
                return null;
            }
            // Sent to a bounce address but not a bounce: a vacation notice answering our envelope sender.
            return new BounceOutcome($"An automatic reply to the bounce address of outbox #{verpId}; not a bounce, nothing changed.", []);
        }
        if (verpId is null && !report.IsStandardDsn && !string.IsNullOrEmpty(inbound.MailFrom) && AutoSubmitted.Reason(mime) is null)
        {
            return null; // Only a bounce-like subject from a person: let it route as a normal message.
        }

        var changed = new List<(RecordRef, long)>();
        var notes = new List<string>();
        var matchedAny = false;
        foreach (var recipient in report.Recipients)
        {
            var reported = Canonical(recipient.Address);
            if (recipient.IsSuccess)
            {
                // Asked-for success notices (NOTIFY=SUCCESS) and relays' "relayed": the email is fine, nothing to count.
                notes.Add($"{reported ?? "a recipient"}: {recipient.Action} {Status(recipient.Status ?? "")}");
                continue;
            }
            var item = await FindOutboxItemAsync(verpId, report, reported, cancellationToken);
            // The address Parley sent to counts the bounce (a forwarder may report where it forwarded to).
            var address = item?.Recipient ?? reported ?? Canonical(report.OriginalRecipients.FirstOrDefault());
            var status = recipient.Status ?? "";
            var words = recipient.Diagnostic ?? "no diagnostic given";
            if (item is not null)
            {
                matchedAny = true;
                if (recipient.IsFailure)
                {
                    OutboxTransitions.Bounce(item, CodeOf(recipient),
                        $"Bounced ({(recipient.IsHard ? "hard" : "soft")}, {Status(status)}): {words}",
                        $"The recipient's mail server returned this email ({Status(status)}): {words}");
                    var message = item.ChatterMessage!;
                    changed.Add((new RecordRef(message.RecordType, message.RecordId), message.Id));
                }
                else
                {
                    item.LastError = $"Delayed ({Status(status)}): {words}";
                }
            }
            if (address is not null && (item is not null || await db.Outbox.AnyAsync(o => o.Recipient == address, cancellationToken)))
            {
                var hard = recipient.IsHard && recipient.IsFailure;
                var suppressed = await suppressions.RecordBounceAsync(address, hard, recipient.Status, recipient.Diagnostic, hardBounceThreshold, cancellationToken);
                notes.Add($"{address}: {(hard ? "hard" : "soft")} {Status(status)}{(suppressed ? ", now suppressed" : "")}");
            }
        }
        var where = verpId is { } v ? $"outbox #{v}" : matchedAny ? "a sent email" : "an email Parley cannot find";
        var summary = notes.Count == 0 ? "no recipient could be read" : string.Join("; ", notes);
        return new BounceOutcome($"Bounce for {where} ({summary}).", changed);
    }

    private async Task<OutboxItem?> FindOutboxItemAsync(long? verpId, DeliveryReport report, string? address, CancellationToken cancellationToken)
    {
        if (verpId is { } id)
        {
            return await db.Outbox.Include(o => o.ChatterMessage).FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        }

        if (report.OriginalMessageId is { Length: > 0 } messageId)
        {
            var items = await db.Outbox.Include(o => o.ChatterMessage)
                .Where(o => o.ChatterMessage!.MessageId == messageId).ToListAsync(cancellationToken);
            var match = address is null ? items.FirstOrDefault()
                : items.FirstOrDefault(o => Canonical(o.Recipient) == address) ?? (items.Count == 1 ? items[0] : null);
            if (match is not null)
            {
                return match;
            }
        }
        if (address is not null)
        {
            return await db.Outbox.Include(o => o.ChatterMessage)
                .Where(o => o.Recipient == address && (o.State == DeliveryState.Sent || o.State == DeliveryState.Deferred))
                .OrderByDescending(o => o.Id).FirstOrDefaultAsync(cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// The address as Parley stores recipients (<see cref="EmailAddress.Normalize"/>: lower case, ASCII domain), so
    /// <c>Ana@Customer.TEST</c> in a report finds the row sent to <c>ana@customer.test</c> with a plain comparison.
    /// </summary>
    private static string? Canonical(string? address) =>
        string.IsNullOrWhiteSpace(address) ? null : EmailAddress.Normalize(address) ?? SuppressionService.Key(address);

    private static string Status(string status) => status.Length == 0 ? "no status code" : status;

    private static int? CodeOf(DsnRecipient recipient)
    {
        if (recipient.Diagnostic is { } d)
        {
            var digits = new string(d.SkipWhile(c => !char.IsDigit(c)).TakeWhile(char.IsDigit).ToArray());
            if (digits.Length == 3 && int.TryParse(digits, out var code) && code is >= 400 and < 600)
            {
                return code;
            }
        }
        return recipient.Status is ['5', ..] ? 550 : recipient.Status is ['4', ..] ? 450 : null;
    }
}
