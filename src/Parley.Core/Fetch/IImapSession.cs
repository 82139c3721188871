namespace Parley.Core.Fetch;

/// <summary>A logged-in IMAP connection (see <see cref="IMailboxConnector"/>).</summary>
public interface IImapSession : IDisposable
{
    /// <summary>The server offers IDLE (RFC 2177).</summary>
    bool CanIdle { get; }

    /// <summary>The folder called <paramref name="name"/>, not yet opened; throws when the server has no such folder.</summary>
    Task<IImapFolder> GetFolderAsync(string name, CancellationToken cancellationToken);

    /// <summary>Logs out and closes the connection.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}

/// <summary>One IMAP folder of an <see cref="IImapSession"/>. Messages are named by UID within <see cref="UidValidity"/>.</summary>
public interface IImapFolder
{
    /// <summary>SELECT (read-write) or EXAMINE (read-only).</summary>
    Task OpenAsync(bool readWrite, CancellationToken cancellationToken);

    uint UidValidity { get; }

    /// <summary>Messages in the folder when it was opened (or as the server reported since).</summary>
    int Count { get; }

    /// <summary><c>UID SEARCH first:*</c>; like the command, it also answers the highest UID when every UID is below <paramref name="first"/>.</summary>
    Task<IReadOnlyList<uint>> SearchFromUidAsync(uint first, CancellationToken cancellationToken);

    /// <summary>The UIDs of the messages without \Seen.</summary>
    Task<IReadOnlyList<uint>> SearchUnseenAsync(CancellationToken cancellationToken);

    /// <summary>The raw message, by <c>BODY.PEEK[]</c>: downloading does not set \Seen.</summary>
    Task<byte[]> DownloadAsync(uint uid, CancellationToken cancellationToken);

    Task MarkSeenAsync(uint uid, CancellationToken cancellationToken);

    /// <summary>Sets \Deleted and \Seen; the message goes at <see cref="ExpungeAsync"/>.</summary>
    Task MarkDeletedAsync(uint uid, CancellationToken cancellationToken);

    Task MoveToAsync(uint uid, IImapFolder destination, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="uids"/> where the server offers UIDPLUS, else every message marked \Deleted.</summary>
    Task ExpungeAsync(IReadOnlyList<uint> uids, CancellationToken cancellationToken);

    /// <summary>IDLEs on the open folder until its message count changes or <paramref name="atMost"/> has passed.</summary>
    Task IdleAsync(TimeSpan atMost, CancellationToken cancellationToken);
}
