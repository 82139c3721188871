using System.Net;

namespace Parley.Auth;

/// <summary>Where a request comes from, as far as Parley can tell (after trusted proxies' X-Forwarded-For).</summary>
public static class RequestOrigin
{
    /// <summary>
    /// True only for a request made on this machine directly. A request that names a client in a forwarding header came
    /// through a proxy, which may sit on this machine and relay anyone: it is not local, even when the proxy is trusted
    /// and names a loopback client.
    /// </summary>
    public static bool IsThisMachine(HttpContext http)
    {
        var headers = http.Request.Headers;
        return http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
            && !headers.ContainsKey("X-Forwarded-For") && !headers.ContainsKey("X-Original-For")
            && !headers.ContainsKey("Forwarded") && !headers.ContainsKey("X-Real-IP");
    }

    /// <summary>The client's address for counting failures: IPv6 by its /64, the block one subscriber usually holds.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
