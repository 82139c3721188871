using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;

namespace Parley.Deliverability.Dns;

/// <summary>How Parley reaches DNS. Bound from configuration ("Dns" section) or set by <c>--dns HOST:PORT</c>.</summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    /// <summary>Servers as "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT" (IP literals). Empty: the system's resolvers.</summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>Per-attempt timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Extra attempts after the first one times out.</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 2;

    /// <summary>Retry over TCP when a UDP answer comes back truncated (TC bit). Long SPF/DKIM records need it.</summary>
    public bool UseTcpFallback { get; set; } = true;

    /// <summary>Set the DO bit so validating resolvers report the AD bit.</summary>
    public bool RequestDnssec { get; set; } = true;

    /// <summary>Keep answers for their TTL (negative answers too, RFC 2308).</summary>
    public bool EnableCache { get; set; } = true;

    [Range(1, int.MaxValue)]
    public int MaxCacheEntries { get; set; } = 10_000;

    public TimeSpan MinimumCacheTtl { get; set; } = TimeSpan.Zero;

    public TimeSpan MaximumCacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Used for NXDOMAIN/NODATA when the response carries no SOA to take the negative TTL from.</summary>
    public TimeSpan DefaultNegativeTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Parses "HOST[:PORT]" with an IP literal host; IPv6 with a port needs brackets.</summary>
    public static bool TryParseServer(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (IPAddress.TryParse(text, out var bare) && !text.StartsWith('['))
        {
            endPoint = new IPEndPoint(bare, 53);
            return true;
        }

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        int portNumber = 53;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, portNumber);
        return true;
    }
}
