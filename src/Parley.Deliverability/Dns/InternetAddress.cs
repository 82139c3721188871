using System.Net;
using System.Net.Sockets;

namespace Parley.Deliverability.Dns;

/// <summary>
/// Whether a receiver on the internet can ever see an address as the sender: not a loopback, private (RFC 1918),
/// shared (RFC 6598), link-local, unique local (fc00::/7), unspecified or multicast one. SPF terms and the doctor's
/// checks are about what receivers see, so such an address has no place in them.
/// </summary>
public static class InternetAddress
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || (b[0] == 169 && b[1] == 254)
            || b[0] == 0
            || b[0] >= 224;
    }

    /// <summary>A host given as "localhost" or as a private address literal; a name that must be resolved is not judged.</summary>
    public static bool IsPrivateHost(string host) =>
        host.Trim().TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim().Trim('[', ']'), out var address) && IsPrivate(address));

    /// <summary>The address from a setting, when it is one a receiver can see; null for none, garbage or a private one.</summary>
    public static IPAddress? PublicOrNull(string? text) =>
        text is { Length: > 0 } && IPAddress.TryParse(text.Trim(), out var address) && !IsPrivate(address) ? address : null;
}
