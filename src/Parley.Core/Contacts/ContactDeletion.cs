using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using Parley.Core.Records;

namespace Parley.Core.Contacts;

/// <summary>What becomes of a deleted contact's timeline: kept under a "Deleted contact" entry, or deleted with her.</summary>
public enum DeletedTimeline { Keep, Delete }

/// <summary>
/// Deleting a contact (ADR 0026): only an admin or the user who added her. The contact row goes; a
/// <see cref="DeletedContact"/> entry stays with her name and, unless asked otherwise, her timeline, still filed under
/// her id, readable and never attached to anyone else. Emails to her not yet handed to a server are cancelled.
/// </summary>
public sealed class ContactDeletion(ParleyDbContext db, TimeProvider clock, ChatterEvents events)
{
    /// <summary>Whether <paramref name="user"/> may delete <paramref name="contact"/>.</summary>
    public static bool MayDelete(Contact contact, ActingUser user) => user.IsAdmin || (contact.OwnerUserId is { } owner && owner == user.Id);

    public async Task<DeletedContact> DeleteAsync(long id, DeletedTimeline timeline, ActingUser user, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"Contact {id}");
        if (!MayDelete(contact, user))
        {
            throw new ForbiddenException("Only an administrator or the user who added this contact can delete her.");
        }

        var now = clock.GetUtcNow();
        var record = new RecordRef(RecordDirectory.ContactType, id);
        var messages = db.Messages.Where(m => m.RecordType == record.Type && m.RecordId == id);
        var deleted = new DeletedContact
        {
            Id = id,
            Name = contact.Name,
            Email = contact.Email,
            DeletedAt = now,
            DeletedByName = user.Name,
            TimelineKept = timeline == DeletedTimeline.Keep,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await OutboxTransitions.CancelUnsentAsync(db, db.Outbox.Where(o => messages.Any(m => m.Id == o.ChatterMessageId)),
            "Cancelled: the contact was deleted.", now, cancellationToken);
        await db.Followers.Where(f => f.RecordType == record.Type && f.RecordId == id).ExecuteDeleteAsync(cancellationToken);
        if (timeline == DeletedTimeline.Delete)
        {
            await DeleteTimelineAsync(messages, cancellationToken);
        }

        db.Contacts.Remove(contact);
        db.Add(deleted);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        events.Publish(record, 0);
        return deleted;
    }

    /// <summary>Deleted contacts, latest first.</summary>
    public Task<List<DeletedContact>> ListAsync(int take, CancellationToken cancellationToken) =>
        db.Set<DeletedContact>().AsNoTracking().OrderByDescending(d => d.DeletedAt).ThenByDescending(d => d.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);

    public Task<DeletedContact?> FindAsync(long id, CancellationToken cancellationToken) =>
        db.Set<DeletedContact>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);

    // Everything filed under her messages goes with them. An inbound row keeps its raw message (the inbound log never
    // loses what arrived) and forgets which chatter message it became.
    private async Task DeleteTimelineAsync(IQueryable<ChatterMessage> messages, CancellationToken cancellationToken)
    {
        var raw = await messages.Where(m => m.RawMimeId != null).Select(m => m.RawMimeId!.Value).ToListAsync(cancellationToken);
        await db.Inbound.Where(i => messages.Any(m => m.Id == i.ChatterMessageId))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ChatterMessageId, (long?)null), cancellationToken);
        await db.MailingRecipients.Where(r => messages.Any(m => m.Id == r.ChatterMessageId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ChatterMessageId, (long?)null).SetProperty(r => r.OutboxItemId, (long?)null), cancellationToken);
        await db.Attachments.Where(a => messages.Any(m => m.Id == a.ChatterMessageId)).ExecuteDeleteAsync(cancellationToken);
        await db.Outbox.Where(o => messages.Any(m => m.Id == o.ChatterMessageId)).ExecuteDeleteAsync(cancellationToken);
        await db.ReceivedHtml.Where(h => messages.Any(m => m.Id == h.ChatterMessageId)).ExecuteDeleteAsync(cancellationToken);
        await messages.ExecuteDeleteAsync(cancellationToken);
        foreach (var chunk in raw.Chunk(500))
        {
            await db.RawMimes.Where(r => chunk.Contains(r.Id) && !db.Inbound.Any(i => i.RawMimeId == r.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
