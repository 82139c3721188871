using System.Net;
using Parley.Deliverability.Dkim;

namespace Parley.Deliverability.Doctor;

/// <summary>
/// How Parley sends for a domain: directly from its own IP (with the EHLO name it announces), or
/// through a relay whose SPF record Parley's domain must include.
/// </summary>
public sealed record SendingRoute
{
    private SendingRoute(IPAddress? ip, string? ehloName, string? relayInclude)
    {
        Ip = ip;
        EhloName = ehloName;
        RelayInclude = relayInclude;
    }

    /// <summary>The sending IP of a direct route.</summary>
    public IPAddress? Ip { get; }

    /// <summary>The EHLO name of a direct route; null when unknown (then only forward-confirmed reverse DNS is checked).</summary>
    public string? EhloName { get; }

    /// <summary>The SPF include of a relay ("_spf.relay.example").</summary>
    public string? RelayInclude { get; }

    public bool IsDirect => Ip is not null;

    public static SendingRoute Direct(IPAddress ip, string? ehloName) => new(ip, ehloName, null);

    public static SendingRoute Relay(string spfInclude) => new(null, null, spfInclude);

    public override string ToString() => Ip is { } ip ? $"direct from {ip}{(EhloName is null ? string.Empty : " as " + EhloName)}" : $"relay (include:{RelayInclude})";
}

/// <summary>
/// Parley's own sending setup for one domain: what the doctor checks the DNS against. Only
/// <see cref="Domain"/> is required; each part that is left out skips the checks that need it.
/// </summary>
public sealed record SendingSetup
{
    /// <summary>The From domain of Parley's mail (RFC5322.From).</summary>
    public required string Domain { get; init; }

    /// <summary>The routes mail leaves by (usually one). Empty: SPF is checked without a route.</summary>
    public IReadOnlyList<SendingRoute> Routes { get; init; } = [];

    /// <summary>The selectors Parley signs with, each with the public key of its private key when known.</summary>
    public IReadOnlyList<DkimSelectorSetup> DkimSelectors { get; init; } = [];

    /// <summary>The MAIL FROM (envelope, bounce) domain: the SPF identity. Default: <see cref="Domain"/>.</summary>
    public string? BounceDomain { get; init; }

    /// <summary>The domain of catchall@, bounce@ and notifications@, where replies come back. Null: MX is not checked.</summary>
    public string? AliasDomain { get; init; }

    /// <summary>The name Parley greets with and says in EHLO (to MX hosts and relays). Null: not checked.</summary>
    public string? HostName { get; init; }

    /// <summary>This server's public IP, which <see cref="HostName"/> should resolve to. Null: only that it resolves is checked.</summary>
    public IPAddress? HostAddress { get; init; }

    /// <summary>Host names Parley receives mail on (the MX of the alias domain should name one of them).</summary>
    public IReadOnlyList<string> ReceivingHosts { get; init; } = [];

    /// <summary>The mailbox to propose for rua= in a new DMARC record; default dmarc-reports@Domain.</summary>
    public string? DmarcReportAddress { get; init; }

    /// <summary>The mailbox to propose for rua= in a new TLS-RPT record; default tls-reports@Domain.</summary>
    public string? TlsReportAddress { get; init; }

    public string EffectiveBounceDomain => string.IsNullOrWhiteSpace(BounceDomain) ? Domain : BounceDomain;
}
