namespace Parley.Core.Fetch;

/// <summary>A logged-in POP3 connection (see <see cref="IMailboxConnector"/>). Messages are named by index (0-based).</summary>
public interface IPop3Session : IDisposable
{
    /// <summary>The server offers UIDL, the only way to know a message again on the next visit.</summary>
    bool HasUidl { get; }

    /// <summary>STAT: messages in the maildrop.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>UIDL: one id per message, in index order.</summary>
    Task<IReadOnlyList<string>> UidsAsync(CancellationToken cancellationToken);

    /// <summary>RETR: the raw message.</summary>
    Task<byte[]> DownloadAsync(int index, CancellationToken cancellationToken);

    /// <summary>DELE: the server removes the message only at <see cref="DisconnectAsync"/> (QUIT).</summary>
    Task DeleteAsync(int index, CancellationToken cancellationToken);

    /// <summary>QUIT (which applies the deletions) and closes the connection.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}
