using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Parley.Core.Fetch;

public enum FetchProtocol { Imap, Pop3 }

/// <summary>The API spells StartTls "starttls", as the admin writes it (and as Core reads it in <see cref="FetchAccountService"/>).</summary>
public enum FetchSecurity { None, [JsonStringEnumMemberName("starttls")] StartTls, Tls }

/// <summary>
/// What happens on the server to a message once Parley has stored it. IMAP: MarkSeen (default), Move, Delete.
/// POP3: Keep (default; remembered by UIDL) or Delete.
/// </summary>
public enum FetchAfterAction { MarkSeen, Move, Delete, Keep }

/// <summary>A mailbox Parley polls for mail (IMAP or POP3), like Odoo's fetchmail server.</summary>
public sealed class FetchAccount
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public FetchProtocol Protocol { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public FetchSecurity Security { get; set; }
    /// <summary>Check the server's TLS certificate (on unless the admin turns it off for a self-signed server).</summary>
    public bool ValidateCertificate { get; set; } = true;
    public required string Username { get; set; }
    /// <summary>Encrypted with <see cref="Settings.SecretProtector"/>.</summary>
    public string? PasswordProtected { get; set; }
    /// <summary>IMAP folder; ignored for POP3.</summary>
    public string Folder { get; set; } = "INBOX";
    public FetchAfterAction AfterFetch { get; set; } = FetchAfterAction.MarkSeen;
    /// <summary>IMAP folder stored messages are moved to when <see cref="AfterFetch"/> is Move.</summary>
    public string? MoveToFolder { get; set; }
    public bool Enabled { get; set; } = true;
    public int IntervalSeconds { get; set; } = FetchOptions.DefaultIntervalSeconds;
    /// <summary>IMAP: the folder's UIDVALIDITY when <see cref="LastUid"/> was recorded.</summary>
    public long? UidValidity { get; set; }
    /// <summary>IMAP: every UID up to this one has been stored (or given up on); the next poll asks only for higher ones.</summary>
    public long? LastUid { get; set; }
    public DateTimeOffset? LastRunAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    /// <summary>The last poll's problem in words; null after a clean poll.</summary>
    public string? LastError { get; set; }
    /// <summary>Polls that failed in a row; the worker waits longer after each (backoff).</summary>
    public int ConsecutiveFailures { get; set; }
    public int LastFetched { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A message on a fetched mailbox that Parley could not store. Retried on later polls up to
/// <see cref="FetchOptions.MaxStoreAttempts"/>, then given up (left untouched on the server, never re-fetched).
/// </summary>
public sealed class FetchFailure
{
    public long Id { get; set; }
    public long FetchAccountId { get; set; }
    /// <summary>IMAP "UIDVALIDITY:UID", POP3 UIDL.</summary>
    public required string RemoteId { get; set; }
    public string? Subject { get; set; }
    public int Attempts { get; set; }
    public bool GaveUp { get; set; }
    public required string Error { get; set; }
    public DateTimeOffset FirstAttemptAt { get; set; }
    public DateTimeOffset LastAttemptAt { get; set; }
}

/// <summary>Mailbox fetch settings (configuration section "Fetch").</summary>
public sealed class FetchOptions
{
    public const string Section = "Fetch";

    public const int DefaultIntervalSeconds = 60;

    /// <summary>Attempts to store one message before it is recorded as failed and left alone.</summary>
    [Range(1, 100)]
    public int MaxStoreAttempts { get; set; } = 3;

    /// <summary>Messages downloaded per poll at most; the rest come on the next poll.</summary>
    [Range(1, 100_000)]
    public int MaxMessagesPerPoll { get; set; } = 200;

    /// <summary>The longest wait after repeated failures.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the worker notices added, changed or removed accounts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan AccountRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Network timeout of one server command.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
