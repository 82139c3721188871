using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <summary>
/// Editing and deleting an internal note, by the user who wrote it and nobody else (not an admin either: a note is
/// its author's words). Emails and events are what happened and cannot be changed. An edited note says when it was
/// edited; a deleted note is gone, row and text.
/// </summary>
public sealed class NoteEditor(ParleyDbContext db, ChatterEvents events, TimeProvider clock)
{
    /// <summary>Whether <paramref name="user"/> may edit or delete <paramref name="message"/>.</summary>
    public static bool MayChange(ChatterMessage message, ActingUser user) => message.Kind == MessageKind.Note && message.AuthorUserId == user.Id;

    public async Task<ChatterMessage> GetOwnAsync(long id, ActingUser user, CancellationToken cancellationToken)
    {
        var note = await db.Messages.FirstOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw new NotFoundException($"Note {id}");
        if (!MayChange(note, user))
        {
            throw new ForbiddenException(note.Kind == MessageKind.Note
                ? "Only the person who wrote a note can edit or delete it."
                : "Only internal notes can be edited or deleted; emails and events are kept as they happened.");
        }

        return note;
    }

    public async Task<ChatterMessage> EditAsync(long id, string? body, ActingUser user, CancellationToken cancellationToken)
    {
        var note = await GetOwnAsync(id, user, cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new InvalidInputException("body", "A note needs some text. To remove it, delete the note.");
        }

        if (body.Length > ChatterService.MaxBodyLength)
        {
            throw new InvalidInputException("body", "The note is too long.");
        }

        if (note.BodyText != body.Trim())
        {
            note.BodyText = body.Trim();
            note.EditedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            events.Publish(new RecordRef(note.RecordType, note.RecordId), note.Id);
        }
        return note;
    }

    /// <returns>The record the note was on.</returns>
    public async Task<RecordRef> DeleteAsync(long id, ActingUser user, CancellationToken cancellationToken)
    {
        var note = await GetOwnAsync(id, user, cancellationToken);
        var record = new RecordRef(note.RecordType, note.RecordId);
        db.Messages.Remove(note);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(record, id);
        return record;
    }
}
