using System.Net;
using Parley.Smtp.Delivery.Pool;

namespace Parley.Smtp.Delivery;

/// <summary>
/// Parley stopped before AUTH because the session is not encrypted: the password would cross the network readable by
/// anyone on the path. Loopback hosts are exempt (the bytes never leave the machine), and so is a relay whose admin
/// ticked "allow plain-text login".
/// </summary>
public sealed class PlainTextLoginRefusedException(string host)
    : Exception($"Parley did not send the password to {host} because the connection is not encrypted: choose STARTTLS or TLS, or allow plain-text login.")
{
    internal static void ThrowIfUnsafe(bool secure, EndpointKey endpoint)
    {
        if (!secure && !endpoint.AllowPlainTextLogin && !IsLoopback(endpoint.Host))
        {
            throw new PlainTextLoginRefusedException(endpoint.Host);
        }
    }

    /// <summary>By the configured name, not the address it resolves to: "localhost", 127.0.0.0/8 or ::1.</summary>
    public static bool IsLoopback(string host)
    {
        var name = host.Trim().TrimEnd('.').Trim('[', ']');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
    }
}
