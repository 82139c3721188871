namespace Parley.Core.Fetch;

public enum FetchProtocol { Imap, Pop3 }

public enum FetchSecurity { None, StartTls, Tls }

/// <summary>A mailbox Parley polls for mail (IMAP or POP3), like Odoo's fetchmail server.</summary>
public sealed class FetchAccount
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public FetchProtocol Protocol { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public FetchSecurity Security { get; set; }
    public required string Username { get; set; }
    /// <summary>Encrypted with <see cref="Outbound.SecretProtector"/>.</summary>
    public string? PasswordProtected { get; set; }
    /// <summary>IMAP folder; ignored for POP3.</summary>
    public string Folder { get; set; } = "INBOX";
    public bool Enabled { get; set; } = true;
    public int IntervalSeconds { get; set; } = 300;
    public DateTimeOffset? LastRunAt { get; set; }
    /// <summary>The last poll's problem in words; null after a clean poll.</summary>
    public string? LastError { get; set; }
    public int LastFetched { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
