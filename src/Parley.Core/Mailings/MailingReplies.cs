using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;

namespace Parley.Core.Mailings;

/// <summary>A reply to a mailing's email counts on the mailing as replied (the reply itself lands on the record, as any reply).</summary>
public sealed class MailingReplies(ParleyDbContext db, MailingProgress progress, TimeProvider clock)
{
    /// <summary>Marks the recipient whose email <paramref name="chatterMessageId"/> is, if it is a mailing's; tracked, saved by the caller.</summary>
    public async Task RepliedAsync(long chatterMessageId, CancellationToken cancellationToken)
    {
        var recipient = db.MailingRecipients.Local.FirstOrDefault(r => r.ChatterMessageId == chatterMessageId)
            ?? await db.MailingRecipients.FirstOrDefaultAsync(r => r.ChatterMessageId == chatterMessageId, cancellationToken);
        if (recipient is null || recipient.RepliedAt is not null)
        {
            return;
        }
        recipient.RepliedAt = clock.GetUtcNow();
        // Before the save: the page then reads the count a moment later, once the routing chunk commits.
        progress.Moved(recipient.MailingId);
    }
}
