using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Checks;

/// <summary>Replies and bounces come back to the alias domain: its MX must point at a host Parley receives on.</summary>
public sealed class MxCheck(IDnsResolver dns)
{
    public async Task<IReadOnlyList<Finding>> CheckAsync(string aliasDomain, IReadOnlyList<string> receivingHosts, CancellationToken cancellationToken)
    {
        if (!DnsName.TryNormalize(aliasDomain, out var domain))
        {
            return [new Finding("mx.invalid-domain", FindingSeverity.Fail, "Alias domain is not a domain name", $"'{aliasDomain}' cannot be looked up.")];
        }

        var hosts = receivingHosts.Select(h => DnsName.TryNormalize(h, out var n) ? n : h.Trim().TrimEnd('.').ToLowerInvariant()).ToArray();
        var fix = hosts.Length > 0 ? new DnsFix("MX", domain, "10 " + hosts[0] + ".") : null;
        var answer = await SafeDns.QueryAsync(dns, domain, DnsRecordType.Mx, cancellationToken).ConfigureAwait(false);
        if (answer.IsTemporaryFailure)
        {
            return [new Finding("mx.dns-error", FindingSeverity.Warn, "MX of the alias domain could not be read", $"MX lookup for {domain} failed: {answer.Status}. Senders would retry later.")];
        }

        var mx = answer.RecordsOf<DnsMxRecord>().OrderBy(m => m.Preference).ToArray();
        if (mx.Length == 0 || mx.All(m => m.Exchange.Length == 0))
        {
            var why = mx.Length > 0 ? "publishes a null MX (\"0 .\"): it accepts no mail" : "has no MX record";
            return [new Finding("mx.missing", FindingSeverity.Fail, "The alias domain receives no mail",
                $"{domain} {why}, so replies and bounces to its addresses are lost.{(fix is null ? " Point its MX at the host Parley receives on." : " Publish the MX below.")}", fix)];
        }

        if (hosts.Length == 0)
        {
            return [new Finding("mx.present", FindingSeverity.Info, "Alias domain has MX records",
                $"{domain} → {string.Join(", ", mx.Select(m => $"{m.Preference} {m.Exchange}"))}. Parley's receiving host names are not configured, so they were not compared.")];
        }

        var matching = mx.Where(m => hosts.Contains(m.Exchange, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (matching.Length == 0)
        {
            return [new Finding("mx.not-parley", FindingSeverity.Fail, "The alias domain's mail does not reach Parley",
                $"{domain} → {string.Join(", ", mx.Select(m => $"{m.Preference} {m.Exchange}"))}, but Parley receives on {string.Join(", ", hosts)}: replies and bounces go elsewhere and never reach the chatter. Point the MX at Parley (or forward that server's mail to Parley).", fix)];
        }

        var findings = new List<Finding>();
        if (matching[0].Preference != mx[0].Preference)
        {
            findings.Add(new Finding("mx.not-primary", FindingSeverity.Warn, "Parley is only a backup MX",
                $"{domain}: {matching[0].Exchange} has preference {matching[0].Preference}, but {mx[0].Exchange} ({mx[0].Preference}) is tried first; replies reach Parley only when it is down.", fix));
        }
        else
        {
            findings.Add(new Finding("mx.valid", FindingSeverity.Pass, "The alias domain's mail reaches Parley", $"{domain} → {matching[0].Preference} {matching[0].Exchange}."));
        }

        return findings;
    }
}
