using System.ComponentModel.DataAnnotations;

namespace Parley.Smtp.Delivery;

/// <summary>Settings of outbound SMTP delivery: the dialogue, the connection pool and direct MX delivery.</summary>
public sealed class SmtpDeliveryOptions
{
    public const string Section = "SmtpDelivery";

    /// <summary>
    /// Name sent in EHLO (to MX hosts and relays); should match the sending IP's PTR record. Read for each new session, so
    /// a change applies to the next one (Parley's host sets it from Settings → Host name). MailKit's choice when null.
    /// </summary>
    public string? HeloName { get; set; }

    /// <summary>Limit for each network operation (connect, each command, the message upload).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Check certificate revocation when validating server certificates (needs network access to CRL/OCSP).</summary>
    public bool CheckCertificateRevocation { get; set; }

    /// <summary>
    /// Open connections (busy and idle) per destination: a relay endpoint, or a recipient domain for direct
    /// delivery. Receivers throttle clients that open many sessions; Postfix's default is 20.
    /// </summary>
    [Range(1, 1_000)]
    public int MaxConnectionsPerDestination { get; set; } = 8;

    /// <summary>An unused pooled connection is closed (QUIT) after this. Relays commonly drop idle clients after 60 s or more.</summary>
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Transactions on one connection before it is closed and replaced (1 turns reuse off).</summary>
    [Range(1, int.MaxValue)]
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>Messages per second per recipient domain; null for no limit. Enforced as a token bucket.</summary>
    public double? RateLimitPerDomain { get; set; }

    /// <summary>How many messages a domain's bucket lets through at once before the rate applies.</summary>
    public int RateLimitBurst { get; set; } = 10;

    /// <summary>
    /// The longest a send waits for its domain's rate limit; beyond it the send returns a transient failure at once,
    /// so the queue defers the message instead of holding its lease.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adaptive throttling: after a server answers 421 or a 4.7.x code (a provider's "slow down"), Parley sends nothing
    /// more to that recipient domain for this long; each further such answer doubles it (up to
    /// <see cref="MaxThrottleBackoff"/>) and each accepted message halves it again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ThrottleBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a throttled domain is left alone at a time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan MaxThrottleBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many sends <see cref="ISmtpDeliveryClient.SendManyAsync"/> runs at once.</summary>
    [Range(1, 1_000)]
    public int MaxParallelSends { get; set; } = 16;

    /// <summary>TCP port of direct MX delivery. 25 on the Internet; tests point it at a loopback peer.</summary>
    public int DirectDeliveryPort { get; set; } = 25;

    /// <summary>
    /// Addresses to connect to for named relay hosts instead of asking DNS, like lines of a hosts file (host name, lower
    /// case, to IP); for split-horizon setups and for tests that must reach a loopback peer under a real-looking name.
    /// Whether a plain-text login is safe is still judged by the name the admin configured.
    /// </summary>
    public Dictionary<string, string> RelayHostAddresses { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ports for named MX hosts (lower case) that differ from <see cref="DirectDeliveryPort"/>; for tests and split setups.</summary>
    public Dictionary<string, int> DirectDeliveryPortOverrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
