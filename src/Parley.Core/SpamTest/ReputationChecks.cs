using System.Net;
using System.Net.Sockets;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Core.SpamTest;

/// <summary>
/// Reputation: the sending IP against the configured DNSBLs (the doctor's <see cref="DnsblCheck"/>), and the From,
/// Return-Path, DKIM d= and link domains against the configured domain and URI lists, looked up as
/// &lt;domain&gt;.&lt;zone&gt;. A list that does not answer, or refuses the query, is a note, never a listing.
/// </summary>
public sealed class ReputationChecks(IDnsResolver dns)
{
    /// <summary>At most this many distinct domains are looked up per message.</summary>
    public const int MaxDomains = 20;

    public async Task<SpamSection> SectionAsync(SpamTestSubject subject, IReadOnlyList<string> domains, SpamTestOptions options, CancellationToken cancellationToken)
    {
        var checks = new List<SpamCheck> { await IpAsync(subject.ClientIp, options.IpBlockLists, cancellationToken), await DomainsAsync(domains, options.DomainBlockLists, cancellationToken) };
        return new SpamSection("reputation", "Reputation", checks);
    }

    private async Task<SpamCheck> IpAsync(IPAddress? ip, IReadOnlyList<string> zones, CancellationToken cancellationToken)
    {
        const string id = "reputation.ip-blocklists", title = "Sending IP on block lists";
        if (ip is null)
        {
            return SpamCheck.Info(id, title, "Not checked: the connecting IP is not known.");
        }

        if (zones.Count == 0)
        {
            return SpamCheck.Info(id, title, "No IP block lists are configured (SpamTest:IpBlockLists).");
        }

        var findings = await new DnsblCheck(dns).CheckAsync(ip, zones, cancellationToken);
        var listed = findings.Where(f => f.Severity == FindingSeverity.Fail).ToList();
        var notes = findings.Where(f => f.Id == "dnsbl.error").Select(f => f.Title).ToList();
        if (listed.Count > 0)
        {
            return new SpamCheck(id, title, CheckResult.Fail, 3, string.Join(" ", listed.Select(f => f.Detail)),
                new CheckFix("Find out why the IP was listed (a compromised account, a bad list), fix that, then follow each list's delisting procedure."));
        }

        return notes.Count == zones.Count
            ? SpamCheck.Info(id, title, string.Join("; ", notes) + ".")
            : SpamCheck.Pass(id, title, 3, findings.FirstOrDefault(f => f.Id == "dnsbl.not-listed")?.Detail + (notes.Count > 0 ? " " + string.Join("; ", notes) + "." : ""));
    }

    private async Task<SpamCheck> DomainsAsync(IReadOnlyList<string> domains, IReadOnlyList<string> zones, CancellationToken cancellationToken)
    {
        const string id = "reputation.domain-blocklists", title = "Domains on domain and URI lists";
        var names = domains.Where(d => d.Contains('.') && !IPAddress.TryParse(d, out _)).Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Distinct().Take(MaxDomains).ToList();
        if (zones.Count == 0 || names.Count == 0)
        {
            return SpamCheck.Info(id, title, zones.Count == 0 ? "No domain lists are configured (SpamTest:DomainBlockLists)." : "No domains to look up.");
        }

        var lookups = names.SelectMany(n => zones.Select(z => (Domain: n, Zone: z.Trim().TrimEnd('.')))).ToList();
        var answers = await Task.WhenAll(lookups.Select(async l => (l.Domain, l.Zone, Answer: await QueryAsync($"{l.Domain}.{l.Zone}", cancellationToken))));
        var listed = new List<string>();
        var unanswered = new HashSet<string>();
        foreach (var (domain, zone, answer) in answers)
        {
            var codes = answer.RecordsOf<DnsAddressRecord>().Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
            if (answer.IsTemporaryFailure || codes.Any(IsRefusal))
            {
                unanswered.Add(zone);
            }
            else if (codes.Any(a => a.GetAddressBytes()[0] == 127))
            {
                listed.Add($"{domain} on {zone} ({string.Join(", ", codes)})");
            }
        }

        var note = unanswered.Count > 0 ? $" Not answered or refused: {string.Join(", ", unanswered)}." : "";
        return listed.Count > 0
            ? new SpamCheck(id, title, CheckResult.Fail, 3, $"Listed: {string.Join("; ", listed)}.{note}",
                new CheckFix("Remove links to listed domains; if your own domain is listed, find the cause and ask the list to delist it."))
            : unanswered.Count == zones.Count
                ? SpamCheck.Info(id, title, $"No list answered for {string.Join(", ", names)}.{note}")
                : SpamCheck.Pass(id, title, 3, $"{string.Join(", ", names)}: on no list checked.{note}");
    }

    /// <summary>127.255.255.x (Spamhaus) and 127.0.0.1 (URIBL): the list refused to answer this resolver; not a listing.</summary>
    private static bool IsRefusal(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return b[0] == 127 && ((b[1] == 255 && b[2] == 255) || (b[1] == 0 && b[2] == 0 && b[3] == 1));
    }

    private async Task<DnsAnswer> QueryAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await dns.QueryAsync(name, DnsRecordType.A, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DnsAnswer.Failure(name, DnsRecordType.A, DnsStatus.Error, e.Message);
        }
    }
}
