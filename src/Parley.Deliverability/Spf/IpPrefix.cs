using System.Net;
using System.Net.Sockets;

namespace Parley.Deliverability.Spf;

/// <summary>CIDR comparison on raw address bytes.</summary>
internal static class IpPrefix
{
    /// <summary>True when both addresses are of the same family and agree on the first <paramref name="prefix"/> bits.</summary>
    public static bool Matches(IPAddress candidate, IPAddress network, int prefix)
    {
        if (candidate.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        if (!candidate.TryWriteBytes(a, out int length) || !network.TryWriteBytes(b, out _))
        {
            return false;
        }

        int bits = Math.Clamp(prefix, 0, length * 8);
        int whole = bits / 8;
        if (!a[..whole].SequenceEqual(b[..whole]))
        {
            return false;
        }

        int remaining = bits % 8;
        if (remaining == 0)
        {
            return true;
        }

        int mask = 0xFF << (8 - remaining) & 0xFF;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    public static int FullLength(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 128 : 32;
}
