using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Deliverability.Dns;

/// <summary>Name handling shared by resolvers and checks: one canonical form for lookups and cache keys.</summary>
public static class DnsName
{
    public const int MaxNameLength = 253;
    public const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// Canonical query form: trailing dot removed, IDN U-labels converted to A-labels, lower case.
    /// Returns false when the name cannot be queried (empty, empty label, label over 63 octets, name over 253).
    /// </summary>
    public static bool TryNormalize(string? name, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var candidate = name.EndsWith('.') ? name[..^1] : name;
        if (!Ascii.IsValid(candidate))
        {
            try
            {
                candidate = Idn.GetAscii(candidate);
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        if (!IsValidAscii(candidate))
        {
            return false;
        }

        normalized = HasUpper(candidate) ? candidate.ToLowerInvariant() : candidate;
        return true;
    }

    /// <summary>True when every label is 1..63 characters and the whole name is 1..253 (no trailing dot expected).</summary>
    public static bool IsValidAscii(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        int labelLength = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
                continue;
            }

            if (++labelLength > MaxLabelLength)
            {
                return false;
            }
        }

        return labelLength > 0;
    }

    /// <summary>The in-addr.arpa / ip6.arpa name for PTR lookups. IPv4-mapped IPv6 addresses map to in-addr.arpa.</summary>
    public static string ReverseName(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder(address.AddressFamily == AddressFamily.InterNetwork ? 29 : 73);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (int i = 3; i >= 0; i--)
            {
                sb.Append(bytes[i]).Append('.');
            }

            return sb.Append("in-addr.arpa").ToString();
        }

        for (int i = 15; i >= 0; i--)
        {
            sb.Append(HexDigit(bytes[i] & 0xF)).Append('.').Append(HexDigit(bytes[i] >> 4)).Append('.');
        }

        return sb.Append("ip6.arpa").ToString();
    }

    /// <summary>True when <paramref name="name"/> equals <paramref name="parent"/> or is below it (case-insensitive, dots ignored at the end).</summary>
    public static bool IsSameOrSubdomain(string name, string parent)
    {
        var n = name.AsSpan().TrimEnd('.');
        var p = parent.AsSpan().TrimEnd('.');
        if (p.IsEmpty)
        {
            return false;
        }

        if (n.Equals(p, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return n.Length > p.Length
            && n[^(p.Length + 1)] == '.'
            && n[^p.Length..].Equals(p, StringComparison.OrdinalIgnoreCase);
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    private static bool HasUpper(string s)
    {
        foreach (var c in s)
        {
            if (c is >= 'A' and <= 'Z')
            {
                return true;
            }
        }

        return false;
    }
}
