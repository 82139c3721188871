namespace Parley.Hosting;

/// <summary>How one Parley process runs: where its data lives and where it listens.</summary>
public sealed record ServeOptions
{
    public string DataDir { get; init; } = DataDirectory.Default;
    public string Urls { get; init; } = "http://127.0.0.1:5080";
    public string SmtpListen { get; init; } = "127.0.0.1:2525";
    /// <summary>
    /// This server's host name until Settings → Host name names one: the listener's greeting and Received headers, the
    /// self-signed certificate, the EHLO to MX hosts and relays. Null: the machine's host name.
    /// </summary>
    public string? SmtpName { get; init; }
    /// <summary>The SMTP listener's STARTTLS certificate: a PEM file (chain after it) or a PKCS#12 file; null makes a self-signed one.</summary>
    public string? SmtpTlsCertificate { get; init; }
    /// <summary>The PEM private key of <see cref="SmtpTlsCertificate"/>, when it is not in the same file.</summary>
    public string? SmtpTlsKey { get; init; }
    /// <summary>A PostgreSQL connection string; null means SQLite in <see cref="DataDir"/>.</summary>
    public string? Database { get; init; }
    public bool Demo { get; init; }
    /// <summary>A DNS server ("HOST:PORT") for MX look-ups and checks; null uses the system's resolvers.</summary>
    public string? Dns { get; init; }
    /// <summary>The port direct delivery connects to on MX hosts: 25, except in tests on loopback.</summary>
    public int DirectDeliveryPort { get; init; } = 25;
    /// <summary>Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (addresses or networks like 10.0.0.0/8); none by default.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];
    /// <summary>A loopback or private "HOST:PORT" that serves only /metrics, without a login; null: /metrics only on <see cref="Urls"/>, for admins.</summary>
    public string? MetricsListen { get; init; }
    /// <summary>The console log: "text" (one line per entry) or "json" (one JSON object per line).</summary>
    public string LogFormat { get; init; } = Operations.ConsoleLogging.Text;
    /// <summary>How long a stop (SIGTERM) may take: sessions and deliveries in progress finish within it, then are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Off for verbs that only need the database (token, migrate).</summary>
    public bool RunWorkers { get; init; } = true;
}
