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
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, CancellationToken ct, bool threadOnLastReply = true)
    {
        var record = view.Ref;
        var now = clock.GetUtcNow();
        // A direct email answers the customer's last reply (In-Reply-To), so their client threads it;
        // a mailing is a new conversation and skips the look-up.
        var lastInbound = !threadOnLastReply ? null : await db.Messages.AsNoTracking()
            .Where(m => m.RecordType == record.Type && m.RecordId == record.Id && m.Direction == MessageDirection.In && m.MessageId != null)
            .OrderByDescending(m => m.Id).Select(m => m.MessageId).FirstOrDefaultAsync(ct);
        var email = Build(view, subject, body, user, aliasDomain, await replyAddresses.ForAsync(record, aliasDomain, ct), lastInbound, extraHeaders, now);
        Add(email);
        return email.Message;
    }

    /// <summary>
    /// The chatter message, its raw MIME and its outbox row, built without touching the database (so a mailing can
    /// build many in parallel); <see cref="Add"/> puts them in the unit of work.
    /// </summary>
    public static StagedEmail Build(RecordView view, string subject, string body, ActingUser user, string aliasDomain, string replyTo,
        string? inReplyTo, IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, DateTimeOffset now, IReadOnlyList<OutboundAttachment>? attachments = null)
    {
        var record = view.Ref;
        var messageId = MimeComposer.NewMessageId(aliasDomain);
        var mime = MimeComposer.Compose(new OutboundEmail(
            user.Name, user.Email, view.Title, view.Email!, replyTo, subject, body, messageId, inReplyTo, now)
        {
            ExtraHeaders = extraHeaders ?? [], Attachments = attachments ?? [],
        });
        var message = new ChatterMessage
        {
            RecordType = record.Type, RecordId = record.Id, Kind = MessageKind.Email, Direction = MessageDirection.Out,
            AuthorUserId = user.Id, AuthorName = user.Name, From = mime.From.ToString(), To = view.Email,
            Subject = subject, BodyText = mime.TextBody ?? "", BodyHtml = mime.HtmlBody,
            MessageId = messageId, InReplyTo = inReplyTo, State = DeliveryState.Queued, CreatedAt = now,
            RawMime = new RawMime { Content = MimeComposer.ToBytes(mime), CreatedAt = now },
        };
        return new StagedEmail(message, new OutboxItem { ChatterMessage = message, Recipient = view.Email!, NextAttemptAt = now, CreatedAt = now });
    }

    /// <summary>
    /// Writes built emails (raw MIME, message, outbox row each) with plain statements, in the context's current
    /// transaction: a mailing's chunk is hundreds of rows, and EF's change tracking cost more than the inserts.
    /// </summary>
    public static async Task InsertAsync(ParleyDbContext db, IReadOnlyList<StagedEmail> emails, CancellationToken ct)
    {
        await RowWriter.InsertAsync(db, emails.Select(e => e.Message.RawMime!).ToList(), ct);
        foreach (var e in emails) e.Message.RawMimeId = e.Message.RawMime!.Id;
        await RowWriter.InsertAsync(db, emails.Select(e => e.Message).ToList(), ct);
        foreach (var e in emails) e.Delivery.ChatterMessageId = e.Message.Id;
        await RowWriter.InsertAsync(db, emails.Select(e => e.Delivery).ToList(), ct);
    }

    /// <summary>Adds a built email (message, raw MIME, outbox row) to the unit of work, unsaved.</summary>
    public void Add(StagedEmail email)
    {
        db.Messages.Add(email.Message);
        db.Outbox.Add(email.Delivery);
    }
}

/// <summary>One outgoing email ready for the unit of work: its chatter message (with raw MIME) and its outbox row.</summary>
public sealed record StagedEmail(ChatterMessage Message, OutboxItem Delivery);
