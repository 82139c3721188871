using System.Net;

namespace Parley.Smtp.Delivery.Mx;

/// <summary>Whether a recipient domain can be delivered to, and if not, whether trying again later may help.</summary>
public enum MxRouteStatus
{
    /// <summary><see cref="MxRoute.Hosts"/> holds at least one host with an address.</summary>
    Found,

    /// <summary>The domain does not take mail: NXDOMAIN, null MX (RFC 7505), no MX and no address. Do not retry.</summary>
    PermanentFailure,

    /// <summary>DNS failed (SERVFAIL, timeout): retry later.</summary>
    TransientFailure,
}

/// <summary>One host to try, in the order RFC 5321 §5.1 gives.</summary>
/// <param name="Name">The MX exchange (or the domain itself for the implicit MX); used for TLS SNI and logs.</param>
/// <param name="Preference">The MX preference; 0 for the implicit MX.</param>
/// <param name="Addresses">IPv4 first, then IPv6, as DNS returned them.</param>
/// <param name="IsImplicit">True when the domain had no MX and its own A/AAAA records are used (RFC 5321 §5.1).</param>
public sealed record MxHost(string Name, int Preference, IReadOnlyList<IPAddress> Addresses, bool IsImplicit = false);

/// <summary>The delivery route of a recipient domain.</summary>
/// <param name="EnhancedStatus">RFC 3463 code for a failure: 5.1.10 null MX, 5.1.2 no such domain, 4.4.3 DNS failure.</param>
/// <param name="Reason">Why there is no route, in words an admin can act on; null when found.</param>
public sealed record MxRoute(string Domain, MxRouteStatus Status, IReadOnlyList<MxHost> Hosts, string? EnhancedStatus = null, string? Reason = null)
{
    public static MxRoute Permanent(string domain, string enhancedStatus, string reason) =>
        new(domain, MxRouteStatus.PermanentFailure, [], enhancedStatus, reason);

    public static MxRoute Transient(string domain, string reason) =>
        new(domain, MxRouteStatus.TransientFailure, [], "4.4.3", reason);
}
