using MimeKit;
using Parley.Core.Attachments;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Inbound;

/// <summary>Turns a received message into a chatter entry with its attachments (tracked; the caller saves).</summary>
public sealed class InboundPoster(ParleyDbContext db, HtmlCleaner cleaner)
{
    /// <param name="beforeSave">Called before the save that gives a message with attachments its id (the router takes
    /// the database's writer only when it first writes).</param>
    public async Task<ChatterMessage> PostAsync(InboundMessage inbound, MimeMessage? mime, RecordRef record, string? authResults, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? beforeSave = null)
    {
        var sender = mime?.From.Mailboxes.FirstOrDefault();
        string text;
        string? html = null;
        if (mime is null)
        {
            text = "This message could not be read as MIME; it is kept exactly as received (download the raw message).";
        }
        else
        {
            html = mime.HtmlBody;
            text = (mime.TextBody ?? (html is null ? "" : HtmlText.ToPlainText(html))).TrimEnd();
        }
        var message = new ChatterMessage
        {
            RecordType = record.Type,
            RecordId = record.Id,
            Kind = MessageKind.Email,
            Direction = MessageDirection.In,
            AuthorName = string.IsNullOrWhiteSpace(sender?.Name) ? sender?.Address ?? (inbound.MailFrom.Length > 0 ? inbound.MailFrom : "unknown sender") : sender.Name,
            From = Truncate(mime?.From.ToString() ?? inbound.MailFrom, 2000),
            To = Truncate(mime?.To.ToString() ?? inbound.Recipients, 2000),
            Subject = Truncate(mime?.Subject, 2000),
            BodyText = text.Length > ChatterService.MaxBodyLength ? text[..ChatterService.MaxBodyLength] : text,
            BodyHtml = html is { Length: > ChatterService.MaxBodyLength } ? null : html,
            MessageId = inbound.MessageId,
            InReplyTo = Truncate(mime?.InReplyTo, 998),
            State = DeliveryState.Received,
            RawMimeId = inbound.RawMimeId,
            AuthenticationResults = authResults,
            CreatedAt = inbound.ReceivedAt,
        };
        db.Messages.Add(message);
        inbound.ChatterMessage = message;
        inbound.Status = InboundStatus.Routed;
        inbound.Error = null;
        List<MessageAttachment> attachments = mime is null ? [] : AttachmentExtractor.Find(mime, 0, inbound.RawMimeId);
        if (attachments.Count > 0)
        {
            if (beforeSave is not null)
            {
                await beforeSave(cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken); // gives the message its id
            foreach (var a in attachments)
            {
                a.ChatterMessageId = message.Id;
            }

            db.Attachments.AddRange(attachments);
        }
        // Sanitized once, here, so showing the record costs nothing and a hostile message cannot stall every view of it.
        if (message.BodyHtml is { } body)
        {
            db.ReceivedHtml.Add(ReceivedHtml.Make(cleaner, message, body, attachments, cancellationToken));
        }

        return message;
    }
}
