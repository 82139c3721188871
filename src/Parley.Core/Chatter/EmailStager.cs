using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbound;
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
        var messageId = MimeComposer.NewMessageId(aliasDomain);
        var mime = MimeComposer.Compose(new OutboundEmail(
            user.Name, user.Email, view.Title, view.Email!, await replyAddresses.ForAsync(record, aliasDomain, ct),
            subject, body, messageId, lastInbound, now) { ExtraHeaders = extraHeaders ?? [] });

        var message = new ChatterMessage
        {
            RecordType = record.Type, RecordId = record.Id, Kind = MessageKind.Email, Direction = MessageDirection.Out,
            AuthorUserId = user.Id, AuthorName = user.Name, From = mime.From.ToString(), To = view.Email,
            Subject = subject, BodyText = mime.TextBody ?? "", BodyHtml = mime.HtmlBody,
            MessageId = messageId, InReplyTo = lastInbound, State = DeliveryState.Queued, CreatedAt = now,
            RawMime = new RawMime { Content = MimeComposer.ToBytes(mime), CreatedAt = now },
        };
        db.Messages.Add(message);
        db.Outbox.Add(new OutboxItem { ChatterMessage = message, Recipient = view.Email!, NextAttemptAt = now, CreatedAt = now });
        return message;
    }
}
