using System.Net;
using System.Net.Sockets;

namespace Parley.Deliverability.Spf.Analysis;

/// <summary>
/// A way mail leaves for a domain: Parley delivering from its own address, or a relay that publishes
/// an SPF record to include ("_spf.relay.example").
/// </summary>
public sealed record SpfRoute
{
    private SpfRoute(IPAddress? ip, string? includeDomain)
    {
        Ip = ip;
        IncludeDomain = includeDomain;
    }

    public IPAddress? Ip { get; }

    public string? IncludeDomain { get; }

    /// <summary>The SPF term that authorizes this route: "ip4:…", "ip6:…" or "include:…".</summary>
    public string Term => Ip is { } ip
        ? (ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + ip
        : "include:" + IncludeDomain;

    public static SpfRoute FromIp(IPAddress ip) =>
        new(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, null);

    public static SpfRoute FromInclude(string domain) =>
        new(null, domain.Trim().TrimEnd('.').ToLowerInvariant());

    public override string ToString() => Term;
}
