using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <summary>
/// Builds one outgoing email for a record — MIME with Message-ID and per-thread Reply-To, the
/// chatter message, its raw bytes and its outbox row — and adds them to the unit of work without
/// saving, so a single email and a mailing of thousands both commit atomically on the caller's terms.
/// </summary>
public sealed class EmailStager(ParleyDbContext db, ReplyAddressProvider replyAddresses, TimeProvider clock)
{
    public async Task<ChatterMessage> StageAsync(
        RecordView view, string subject, string body, ActingUser user, string aliasDomain,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, CancellationToken cancellationToken, bool threadOnLastReply = true) =>
        (await StageEmailAsync(view, subject, body, user, aliasDomain, extraHeaders, null, cancellationToken, threadOnLastReply)).Message;

    /// <summary>As <see cref="StageAsync"/>, with recipients and files of the email's own; gives the whole staged email.</summary>
    public async Task<StagedEmail> StageEmailAsync(
        RecordView view, string subject, string body, ActingUser user, string aliasDomain,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, EmailParts? parts, CancellationToken cancellationToken, bool threadOnLastReply = true)
    {
        var record = view.Ref;
        var now = clock.GetUtcNow();
        // A direct email answers the customer's last reply (In-Reply-To), so their client threads it;
        // a mailing is a new conversation and skips the look-up.
        var lastInbound = parts?.Thread is { } thread ? thread.InReplyTo : !threadOnLastReply ? null : await db.Messages.AsNoTracking()
            .Where(m => m.RecordType == record.Type && m.RecordId == record.Id && m.Direction == MessageDirection.In && m.MessageId != null)
            .OrderByDescending(m => m.Id).Select(m => m.MessageId).FirstOrDefaultAsync(cancellationToken);
        var email = Build(view, subject, body, user, aliasDomain, await replyAddresses.ForAsync(record, aliasDomain, cancellationToken), lastInbound, extraHeaders, now, parts);
        Add(email);
        return email;
    }

    /// <summary>
    /// The chatter message, its raw MIME and its outbox row, built without touching the database (so a mailing can
    /// build many in parallel); <see cref="Add"/> puts them in the unit of work.
    /// </summary>
    public static StagedEmail Build(RecordView view, string subject, string body, ActingUser user, string aliasDomain, string replyTo,
        string? inReplyTo, IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, DateTimeOffset now, EmailParts? parts = null)
    {
        var record = view.Ref;
        var messageId = MimeComposer.NewMessageId(aliasDomain);
        // Without recipients of its own, the email goes to the record's address, by the record's name.
        var to = parts?.To is { Count: > 0 } given ? given : [view.Email!];
        var toName = parts?.To is { Count: > 0 } ? "" : view.RecipientName ?? view.Title;
        var mime = MimeComposer.Compose(new OutboundEmail(
            user.Name, user.Email, toName, to[0], replyTo, subject, body, messageId, inReplyTo, now)
        {
            ExtraHeaders = extraHeaders ?? [],
            References = parts?.Thread?.References ?? [],
            MoreTo = to.Skip(1).ToList(),
            Cc = parts?.Cc ?? [],
            Attachments = parts?.Attachments ?? [],
        });
        var message = new ChatterMessage
        {
            RecordType = record.Type,
            RecordId = record.Id,
            Kind = MessageKind.Email,
            Direction = MessageDirection.Out,
            AuthorUserId = user.Id,
            AuthorName = user.Name,
            From = mime.From.ToString(),
            To = string.Join(", ", to) + (parts is { Cc.Count: > 0 } ? "; cc " + string.Join(", ", parts.Cc) : ""),
            Subject = subject,
            BodyText = mime.TextBody ?? "",
            BodyHtml = mime.HtmlBody,
            MessageId = messageId,
            InReplyTo = inReplyTo,
            State = DeliveryState.Queued,
            CreatedAt = now,
            RawMime = new RawMime { Content = MimeComposer.ToBytes(mime), CreatedAt = now },
        };
        // One outbox row per recipient (To and Cc): each is delivered, retried and bounced on its own.
        var recipients = to.Concat(parts?.Cc ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var deliveries = recipients.Select(r => new OutboxItem { ChatterMessage = message, Recipient = r, NextAttemptAt = now, CreatedAt = now }).ToList();
        return new StagedEmail(message, deliveries[0]) { MoreDeliveries = deliveries.Skip(1).ToList() };
    }

    /// <summary>
    /// Writes built emails (raw MIME, message, outbox row each) with plain statements, in the context's current
    /// transaction: a mailing's chunk is hundreds of rows, and EF's change tracking cost more than the inserts.
    /// </summary>
    public static async Task InsertAsync(ParleyDbContext db, IReadOnlyList<StagedEmail> emails, CancellationToken cancellationToken)
    {
        await RowWriter.InsertAsync(db, emails.Select(e => e.Message.RawMime!).ToList(), cancellationToken);
        foreach (var e in emails)
        {
            e.Message.RawMimeId = e.Message.RawMime!.Id;
        }

        await RowWriter.InsertAsync(db, emails.Select(e => e.Message).ToList(), cancellationToken);
        foreach (var e in emails)
        {
            e.Delivery.ChatterMessageId = e.Message.Id;
        }

        await RowWriter.InsertAsync(db, emails.Select(e => e.Delivery).ToList(), cancellationToken);
    }

    /// <summary>Adds a built email (message, raw MIME, outbox row) to the unit of work, unsaved.</summary>
    public void Add(StagedEmail email)
    {
        db.Messages.Add(email.Message);
        db.Outbox.Add(email.Delivery);
        db.Outbox.AddRange(email.MoreDeliveries);
    }
}

/// <summary>One outgoing email ready for the unit of work: its chatter message (with raw MIME) and its outbox row.</summary>
public sealed record StagedEmail(ChatterMessage Message, OutboxItem Delivery)
{
    /// <summary>The rows of the other recipients (To and Cc), when there are several.</summary>
    public IReadOnlyList<OutboxItem> MoreDeliveries { get; init; } = [];
}

/// <summary>
/// What an email has beyond the record's defaults: its own recipients (checked addresses; none sends to the record's
/// address) and files (checked, or a template's default attachments on a mailing).
/// </summary>
public sealed record EmailParts(IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<OutboundAttachment> Attachments)
{
    /// <summary>The thread of the received email this answers; without it, a direct email answers the record's last reply.</summary>
    public ReplyThread? Thread { get; init; }
}
