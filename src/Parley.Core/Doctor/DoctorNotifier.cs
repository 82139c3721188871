using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Domains;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

/// <summary>
/// Posts a change in a domain's doctor findings as an event in the chatter of its "Deliverability"
/// record and emails it to every admin through the normal outbox (one row per admin, marked
/// <c>Auto-Submitted: auto-generated</c>, replies routed back to the same chatter). The event, its
/// MIME and the outbox rows are written in one transaction. Without an alias domain or an admin, or
/// with <see cref="DoctorScheduleOptions.EmailAdmins"/> off, the event is still posted; only the email is left out.
/// </summary>
public sealed class DoctorNotifier(
    ParleyDbContext db,
    SettingsService settings,
    ReplyAddressProvider replyAddresses,
    ChatterEvents events,
    OutboxSignal outbox,
    TimeProvider clock,
    IOptions<DoctorScheduleOptions> email)
{
    public const string AuthorName = "Domain doctor";

    public async Task<ChatterMessage> PostAsync(SendingDomain domain, DoctorChange change, DoctorReport report, CancellationToken cancellationToken)
    {
        var record = new RecordRef(RecordDirectory.DeliverabilityType, domain.Id);
        var now = clock.GetUtcNow();
        var body = Body(domain.Name, change, report);
        // The event's text starts with the change itself; the subject is for the email.
        var subject = Subject(domain.Name, change);
        var message = ChatterEntries.Event(record, AuthorName, body, now);

        var aliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
        var admins = await db.Users.AsNoTracking().Where(u => u.IsAdmin).OrderBy(u => u.Id).Select(u => new { u.Name, u.Email }).ToListAsync(cancellationToken);
        if (email.Value.EmailAdmins && aliasDomain is not null && admins.Count > 0)
        {
            var mime = new MimeMessage();
            mime.From.Add(new MailboxAddress("Parley domain doctor", $"{RoutePlanner.NotificationsLocalPart}@{aliasDomain}"));
            foreach (var admin in admins)
            {
                mime.To.Add(new MailboxAddress(admin.Name, admin.Email));
            }

            mime.ReplyTo.Add(new MailboxAddress($"Deliverability of {domain.Name}", await replyAddresses.ForAsync(record, aliasDomain, cancellationToken)));
            mime.Subject = subject;
            mime.MessageId = MimeComposer.NewMessageId(aliasDomain);
            mime.Date = now;
            mime.Headers.Add("Auto-Submitted", "auto-generated");
            mime.Headers.Add("X-Auto-Response-Suppress", "All");
            mime.Body = new TextPart("plain") { Text = body };
            message.MessageId = mime.MessageId;
            message.Subject = subject; // what the Outbox lists; the timeline shows an event by its text
            message.From = mime.From.ToString();
            message.To = string.Join(", ", admins.Select(a => a.Email));
            message.State = DeliveryState.Queued;
            message.RawMime = new RawMime { Content = MimeComposer.ToBytes(mime), CreatedAt = now };
            foreach (var admin in admins)
            {
                db.Outbox.Add(new OutboxItem { ChatterMessage = message, Recipient = admin.Email, NextAttemptAt = now, CreatedAt = now });
            }
        }

        db.Messages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        if (message.RawMime is not null)
        {
            outbox.Notify();
        }

        events.Publish(record, message.Id);
        return message;
    }

    private static string Subject(string domain, DoctorChange change)
    {
        var text = $"Deliverability of {domain}: {change.Summary}";
        return text.Length <= 150 ? text : text[..147] + "…";
    }

    private static string Body(string domain, DoctorChange change, DoctorReport report)
    {
        var text = new StringBuilder();
        text.Append(change.Summary).Append('.').AppendLine().AppendLine();
        var fails = report.Findings.Count(f => f.Severity == FindingSeverity.Fail);
        var warns = report.Findings.Count(f => f.Severity == FindingSeverity.Warn);
        text.Append($"The domain doctor checked {domain} at {report.CheckedAt.UtcDateTime:d MMM yyyy, HH:mm} UTC: ")
            .Append(fails == 0 && warns == 0 ? "every check passes." : $"{Quantity.Of(fails, "check fails", "checks fail")}, {Quantity.Of(warns, "warning")}.")
            .AppendLine();
        foreach (var finding in change.NewProblems)
        {
            text.AppendLine().Append("- ").Append(finding.Title).Append(": ").AppendLine(finding.Detail);
            if (finding.Fix is { } fix)
            {
                text.Append("  Publish: ").Append(fix.Name).Append(' ').Append(fix.Type).Append(' ').AppendLine(fix.Value);
            }
        }
        text.AppendLine().Append("The Domains page in Parley shows every finding and the records to publish.");
        return text.ToString();
    }

}
