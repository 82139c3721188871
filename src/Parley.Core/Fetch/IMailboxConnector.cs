namespace Parley.Core.Fetch;

/// <summary>
/// Logs in to the servers of fetch accounts. Core decides what to download and when to touch the server (store
/// first: ADR 0007); the IMAP and POP3 protocols live behind this seam, in Parley.Mailboxes (ADR 0011).
/// </summary>
public interface IMailboxConnector
{
    /// <summary>Connects and logs in; a failure throws and leaves nothing open.</summary>
    Task<IImapSession> ConnectImapAsync(MailboxServer server, TimeSpan commandTimeout, CancellationToken cancellationToken);

    /// <inheritdoc cref="ConnectImapAsync"/>
    Task<IPop3Session> ConnectPop3Async(MailboxServer server, TimeSpan commandTimeout, CancellationToken cancellationToken);

    /// <summary>What went wrong with <paramref name="server"/>, in a sentence an admin can act on (the account's "last result").</summary>
    string Describe(MailboxServer server, Exception error);
}

/// <summary>Where and as whom a fetch account logs in.</summary>
public sealed record MailboxServer(string Host, int Port, FetchSecurity Security, bool ValidateCertificate, string Username, string? Password)
{
    public static MailboxServer Of(FetchAccount account, string? password) =>
        new(account.Host, account.Port, account.Security, account.ValidateCertificate, account.Username, password);

    /// <summary>Without the password: a record's generated text would print it into any log line that shows the server.</summary>
    public override string ToString() => $"{Username} at {Host}:{Port}";
}
