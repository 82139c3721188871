using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Smtp.Listener;

/// <summary>Settings of the inbound SMTP listener. Limits follow RFC 5321 §4.5.3 unless noted.</summary>
public sealed class SmtpListenerOptions
{
    /// <summary>Its configuration section; <see cref="SmtpListenerOptionsValidator"/> checks the values.</summary>
    public const string Section = "SmtpListener";

    /// <summary>Address to bind; loopback by default so nothing is exposed until the host says so.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port to bind; 0 picks a free port (see <see cref="SmtpListener.Port"/>).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>Name in the greeting, EHLO reply and Received header.</summary>
    public string ServerName { get; set; } = Dns.GetHostName();

    /// <summary>
    /// Largest message accepted, counted after dot-unstuffing, without the Received header (Parley's host sets it from
    /// its one inbound limit, which mailgate reads too).
    /// </summary>
    public long MaxMessageSize { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// Largest header section (up to the first empty line), counted like <see cref="MaxMessageSize"/>. Lines are
    /// limited, but one header folded over many lines is not; larger sections are refused with 552 5.3.4 rather
    /// than truncated (as Postfix's header_size_limit of 100 KiB does), because the raw bytes are kept exactly.
    /// </summary>
    public int MaxHeaderSize { get; set; } = 256 * 1024;

    /// <summary>Recipients per transaction; more get 452 4.5.3 (RFC 5321 requires at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Longest text line in DATA, including CRLF (RFC 5321: 1000).</summary>
    public int MaxLineLength { get; set; } = 1000;

    /// <summary>Longest command line, including CRLF (RFC 5321: 512).</summary>
    public int MaxCommandLineLength { get; set; } = 512;

    /// <summary>Time a client may stay silent while the server waits for a command.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Time a client may stay silent before its first MAIL (and between transactions): much shorter than
    /// <see cref="CommandTimeout"/>, as RFC 5321 §4.5.3.2 lets a server under pressure do, so idle connections cannot
    /// hold the slots.
    /// </summary>
    public TimeSpan IdleTimeoutBeforeMail { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The same, while more than half of <see cref="MaxConnections"/> are in use.</summary>
    public TimeSpan IdleTimeoutBeforeMailWhenBusy { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a client may stay silent while sending message content.</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Concurrent sessions from one client address; more get 421 4.7.0.</summary>
    public int MaxConnectionsPerIp { get; set; } = 20;

    /// <summary>Concurrent sessions in total; more get 421 4.7.0.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Share of <see cref="MaxConnections"/> kept for clients that hold no connection yet (a client is an IPv4 address
    /// or an IPv6 /64), so a few clients with many idle connections cannot take every slot.
    /// </summary>
    public double ReservedShareForNewAddresses { get; set; } = 0.10;

    /// <summary>Upper bound on a whole session, so drip-feeding clients cannot hold a slot forever.</summary>
    public TimeSpan MaxSessionTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Syntax and sequence errors tolerated in one session before 421 and disconnect.</summary>
    public int MaxErrors { get; set; } = 20;

    /// <summary>Certificate for STARTTLS; STARTTLS is advertised only when set.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// The intermediate certificates sent after <see cref="Certificate"/> (a fullchain.pem's), so senders that verify
    /// can build the chain without fetching anything.
    /// </summary>
    public X509Certificate2Collection CertificateChain { get; set; } = [];

    /// <summary>
    /// When set, asked once per session for the certificate to offer instead of <see cref="Certificate"/> (which still
    /// decides whether STARTTLS is offered): lets the host swap in a renewed certificate without a restart.
    /// </summary>
    public Func<SslStreamCertificateContext>? CertificateSource { get; set; }

    /// <summary>
    /// Directory for spooling large messages while they arrive (files 0600; created 0700 and emptied of a crash's
    /// leftovers at start); the system temp directory when null.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Messages up to this size are spooled in memory, larger ones in a spool file.</summary>
    public int InMemorySpoolLimit { get; set; } = 256 * 1024;

    /// <summary>
    /// Memory all sessions together may hold for arriving messages; past it, a message goes to its spool file from its
    /// first byte, and when not even a file can be made, DATA is answered 452 4.3.1.
    /// </summary>
    public long MaxSpoolMemory { get; set; } = 64L * 1024 * 1024;
}
