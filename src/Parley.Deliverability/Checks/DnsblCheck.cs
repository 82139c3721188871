using System.Net;
using System.Net.Sockets;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Checks;

/// <summary>DNS block lists: is the sending IP listed at &lt;reversed-ip&gt;.&lt;zone&gt; (an A record in 127.0.0.0/8)?</summary>
public sealed class DnsblCheck(IDnsResolver dns)
{
    /// <summary>Widely used lists that answer public queries. Spamhaus refuses queries from big public resolvers (127.255.255.x).</summary>
    public static readonly IReadOnlyList<string> DefaultZones = ["zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "psbl.surriel.com"];

    public async Task<IReadOnlyList<Finding>> CheckAsync(IPAddress ip, IReadOnlyList<string> zones, CancellationToken cancellationToken)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var reversed = ReversedLabels(ip);
        var answers = await Task.WhenAll(zones.Select(async zone =>
            (zone, answer: await SafeDns.QueryAsync(dns, $"{reversed}.{zone.Trim().TrimEnd('.')}", DnsRecordType.A, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);

        var findings = new List<Finding>();
        var clean = new List<string>();
        foreach (var (zone, answer) in answers)
        {
            var codes = answer.RecordsOf<DnsAddressRecord>().Select(a => a.Address).ToArray();
            if (answer.IsTemporaryFailure)
            {
                findings.Add(new Finding("dnsbl.error", FindingSeverity.Info, $"Block list {zone} did not answer", $"{answer.Status}; the listing of {ip} there is unknown."));
            }
            else if (codes.Any(a => a.ToString().StartsWith("127.255.255.", StringComparison.Ordinal)))
            {
                findings.Add(new Finding("dnsbl.error", FindingSeverity.Info, $"Block list {zone} refused the query", $"It answered {string.Join(", ", codes.Select(c => c.ToString()))}: queries through public resolvers are refused; use your own resolver."));
            }
            else if (codes.Any(a => a.AddressFamily == AddressFamily.InterNetwork && a.GetAddressBytes()[0] == 127))
            {
                findings.Add(new Finding("dnsbl.listed", FindingSeverity.Fail, $"The sending IP is listed on {zone}",
                    $"{ip} is listed on {zone} (answer {string.Join(", ", codes.Select(c => c.ToString()))}); receivers using that list reject or junk Parley's mail. Follow {zone}'s delisting procedure, after fixing the cause."));
            }
            else
            {
                clean.Add(zone);
            }
        }

        if (clean.Count > 0)
        {
            findings.Insert(0, new Finding("dnsbl.not-listed", FindingSeverity.Pass, "The sending IP is on no block list checked", $"{ip} is not listed on {string.Join(", ", clean)}."));
        }

        return findings;
    }

    private static string ReversedLabels(IPAddress ip)
    {
        var reverse = DnsName.ReverseName(ip);
        return reverse[..reverse.LastIndexOf(ip.AddressFamily == AddressFamily.InterNetwork ? ".in-addr.arpa" : ".ip6.arpa", StringComparison.Ordinal)];
    }
}
