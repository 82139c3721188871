using Parley.Core.Identity;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <summary>
/// The timeline entries that are not emails: a user's note, and an event (a tracked change, a complaint, a paused
/// mailing, a doctor finding). One place says what such an entry holds; the caller adds it to its unit of work.
/// </summary>
public static class ChatterEntries
{
    /// <summary>The author of the events Parley itself tells of.</summary>
    public const string ParleyAuthor = "Parley";

    /// <summary>An internal note by <paramref name="user"/>.</summary>
    public static ChatterMessage Note(RecordRef record, ActingUser user, string text, DateTimeOffset at) =>
        Entry(record, MessageKind.Note, user.Id, user.Name, text, at);

    /// <summary>An event that <paramref name="user"/> caused.</summary>
    public static ChatterMessage Event(RecordRef record, ActingUser user, string text, DateTimeOffset at) =>
        Entry(record, MessageKind.Event, user.Id, user.Name, text, at);

    /// <summary>An event told by <paramref name="authorName"/>, no user's doing.</summary>
    public static ChatterMessage Event(RecordRef record, string authorName, string text, DateTimeOffset at) =>
        Entry(record, MessageKind.Event, null, authorName, text, at);

    private static ChatterMessage Entry(RecordRef record, MessageKind kind, long? authorUserId, string authorName, string text, DateTimeOffset at) => new()
    {
        RecordType = record.Type,
        RecordId = record.Id,
        Kind = kind,
        AuthorUserId = authorUserId,
        AuthorName = authorName,
        BodyText = text,
        CreatedAt = at,
    };
}
