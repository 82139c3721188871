using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Deliverability.Spf;

/// <summary>The values macros expand to during one check_host() call (RFC 7208 7.2).</summary>
internal sealed class MacroContext
{
    private string? _ipDotted;

    public required IPAddress Ip { get; init; }

    public required string Sender { get; init; }

    public required string LocalPart { get; init; }

    public required string SenderDomain { get; init; }

    public required string Helo { get; init; }

    public required string Receiver { get; init; }

    public required long Timestamp { get; init; }

    /// <summary>The current domain (changes with include/redirect).</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>%{p} for the current domain, set by the evaluator before expanding a string that uses it.</summary>
    public string ValidatedName { get; set; } = "unknown";

    public string Value(char letter) => letter switch
    {
        's' => Sender,
        'l' => LocalPart,
        'o' => SenderDomain,
        'd' => Domain,
        'i' => _ipDotted ??= DottedIp(Ip),
        'p' => ValidatedName,
        'v' => Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => Helo,
        'c' => Ip.ToString(),
        'r' => Receiver,
        't' => Timestamp.ToString(CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    /// <summary>
    /// %{i}: dotted quad for IPv4; for IPv6 the 32 nibbles separated by dots (RFC 7208 7.3). Nibbles are
    /// upper case, as in the openspf test suite's expected explanations; DNS ignores the case.
    /// </summary>
    private static string DottedIp(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return ip.ToString();
        }

        var bytes = ip.GetAddressBytes();
        var sb = new StringBuilder(63);
        foreach (var b in bytes)
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append("0123456789ABCDEF"[b >> 4]).Append('.').Append("0123456789ABCDEF"[b & 0xF]);
        }

        return sb.ToString();
    }
}
