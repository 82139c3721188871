using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Outbox;
using Parley.Core.Records;

namespace Parley.Core.Followers;

/// <summary>
/// Forwards a reply posted to a record to the record's followers (never back to its author, never to a
/// suppressed address), with a Reply-To that routes back to the record and <c>Auto-Submitted: auto-generated</c>
/// so well-behaved auto-responders stay quiet. Written in the caller's transaction: one chatter entry
/// ("sent to followers") and one outbox row per follower.
/// </summary>
public sealed class FollowerNotifier(ParleyDbContext db, TimeProvider clock)
{
    /// <param name="recordFollowers">The record's followers, as the caller read them (the router reads them once per batch).</param>
    public async Task<ChatterMessage?> ForwardAsync(RecordRef record, IReadOnlyList<Follower> recordFollowers, ChatterMessage posted,
        string authorAddress, string aliasDomain, string replyTo, CancellationToken cancellationToken)
    {
        var author = authorAddress.ToLowerInvariant();
        var followers = recordFollowers.Where(f => f.Email != author).Take(500).ToList();
        if (followers.Count == 0)
        {
            return null;
        }

        var emails = followers.Select(f => f.Email).ToList();
        // A follower who unsubscribed from mailings still gets the record's discussion.
        var suppressed = await db.Suppressions.AsNoTracking()
            .Where(s => emails.Contains(s.Address) && s.Reason != Suppression.SuppressionReason.Unsubscribe).Select(s => s.Address).ToListAsync(cancellationToken);
        followers = followers.Where(f => !suppressed.Contains(f.Email)).ToList();
        if (followers.Count == 0)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress($"{OneLine(posted.AuthorName)} (via Parley)", $"{RoutePlanner.NotificationsLocalPart}@{aliasDomain}"));
        foreach (var f in followers)
        {
            mime.To.Add(new MailboxAddress(OneLine(f.Name), f.Email));
        }

        mime.ReplyTo.Add(new MailboxAddress(OneLine(posted.AuthorName), replyTo));
        mime.Subject = OneLine(posted.Subject ?? "New message");
        mime.MessageId = MimeComposer.NewMessageId(aliasDomain);
        mime.Date = now;
        if (posted.MessageId is { } original)
        {
            mime.InReplyTo = original;
            mime.References.Add(original);
        }
        mime.Headers.Add(HeaderId.AutoSubmitted, "auto-generated");
        mime.Headers.Add("X-Auto-Response-Suppress", "All");
        var text = $"{posted.AuthorName} wrote:\n\n{posted.BodyText}\n\n-- \nYou follow this conversation in Parley. Reply to this email to answer in its thread.";
        mime.Body = new BodyBuilder { TextBody = text }.ToMessageBody();

        var message = new ChatterMessage
        {
            RecordType = record.Type,
            RecordId = record.Id,
            Kind = MessageKind.Email,
            Direction = MessageDirection.Out,
            AuthorName = "Parley (to followers)",
            From = mime.From.ToString(),
            To = string.Join(", ", followers.Select(f => f.Email)),
            Subject = mime.Subject,
            BodyText = text,
            MessageId = mime.MessageId,
            InReplyTo = posted.MessageId,
            State = DeliveryState.Queued,
            CreatedAt = now,
            RawMime = new RawMime { Content = MimeComposer.ToBytes(mime), CreatedAt = now },
        };
        db.Messages.Add(message);
        foreach (var f in followers)
        {
            db.Outbox.Add(new OutboxItem { ChatterMessage = message, Recipient = f.Email, NextAttemptAt = now, CreatedAt = now });
        }

        return message;
    }

    private static string OneLine(string value) =>
        string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
