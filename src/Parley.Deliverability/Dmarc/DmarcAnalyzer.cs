using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Dmarc;

/// <summary>
/// The doctor's DMARC checks: the record (missing, several, syntax, p=none, tags removed by RFC 9989,
/// report destinations that did not authorize reports), and whether Parley's own route gives an
/// aligned pass. Never throws for DNS trouble or garbage records; only cancellation propagates.
/// </summary>
public sealed class DmarcAnalyzer(IDnsResolver dns)
{
    private static readonly string[] RemovedTags = ["pct", "rf", "ri"];
    private readonly DmarcDiscovery _discovery = new(dns);

    /// <param name="reportAddress">The rua= mailbox to put in a proposed record (default dmarc-reports@domain).</param>
    public async Task<DmarcAnalysis> AnalyzeAsync(string domain, string? reportAddress, CancellationToken cancellationToken)
    {
        if (!DnsName.TryNormalize(domain, out var name) || !name.Contains('.'))
        {
            return new DmarcAnalysis { Domain = domain, Findings = [new Finding("dmarc.invalid-domain", FindingSeverity.Fail, "Not a domain name", $"'{domain}' is not a fully qualified domain name.")] };
        }

        var findings = new List<Finding>();
        var starter = $"v=DMARC1; p=none; rua=mailto:{reportAddress ?? "dmarc-reports@" + name}";
        var ownTask = SafeDns.QueryAsync(dns, "_dmarc." + name, DnsRecordType.Txt, cancellationToken);
        var policyTask = _discovery.FindPolicyAsync(name, cancellationToken);
        var orgTask = _discovery.FindOrganizationalDomainAsync(name, cancellationToken);
        var own = await ownTask.ConfigureAwait(false);
        var policy = await policyTask.ConfigureAwait(false);
        var org = await orgTask.ConfigureAwait(false) ?? name;

        if (own.IsTemporaryFailure || policy.Status == DmarcLookupStatus.TempError)
        {
            findings.Add(new Finding("dmarc.dns-error", FindingSeverity.Warn, "The DMARC record could not be read",
                $"{policy.Problem ?? $"TXT lookup for _dmarc.{name} failed: {own.Status}"}. Receivers seeing this give temperror."));
            return new DmarcAnalysis { Domain = name, OrganizationalDomain = org, Findings = findings };
        }

        var texts = own.RecordsOf<DnsTxtRecord>().Select(t => t.Text).ToArray();
        var dmarcTexts = texts.Where(DmarcRecordParser.IsDmarcRecord).ToArray();
        if (dmarcTexts.Length > 1)
        {
            findings.Add(new Finding("dmarc.multiple-records", FindingSeverity.Fail, "Several DMARC records",
                $"_dmarc.{name} publishes {dmarcTexts.Length} records starting with v=DMARC1; receivers then ignore them all, as if there were none. Keep exactly one: {string.Join(" | ", dmarcTexts.Select(t => "\"" + t + "\""))}.",
                new DnsFix("TXT", "_dmarc." + name, dmarcTexts[0])));
            return new DmarcAnalysis { Domain = name, OrganizationalDomain = org, Findings = findings };
        }

        var broken = texts.FirstOrDefault(t => dmarcTexts.Length == 0 && t.TrimStart().StartsWith("v=dmarc", StringComparison.OrdinalIgnoreCase));
        if (broken is not null)
        {
            findings.Add(new Finding("dmarc.syntax", FindingSeverity.Fail, "The DMARC record is not valid",
                $"_dmarc.{name} has \"{broken}\", which does not start with exactly \"v=DMARC1;\" (tags are separated by semicolons); receivers ignore it. Publish the record below.",
                new DnsFix("TXT", "_dmarc." + name, starter)));
            findings.AddRange(await CheckOwnReportAuthorizationAsync(name, org, reportAddress, cancellationToken).ConfigureAwait(false));
            return new DmarcAnalysis { Domain = name, OrganizationalDomain = org, Findings = findings };
        }

        if (policy.Record is not { } record)
        {
            findings.Add(new Finding("dmarc.missing", FindingSeverity.Fail, "No DMARC record",
                $"Neither _dmarc.{name} nor a parent domain publishes a DMARC record: receivers apply no policy and send no reports, and big mailbox providers expect one from bulk senders. Start with p=none and reports, then tighten.",
                new DnsFix("TXT", "_dmarc." + name, starter)));
            findings.AddRange(await CheckOwnReportAuthorizationAsync(name, org, reportAddress, cancellationToken).ConfigureAwait(false));
            return new DmarcAnalysis { Domain = name, OrganizationalDomain = org, Findings = findings };
        }

        bool inherited = !string.Equals(policy.Domain, name, StringComparison.OrdinalIgnoreCase);
        var effective = inherited ? record.SubdomainPolicy : record.Policy;
        var recordName = "_dmarc." + policy.Domain;
        if (inherited)
        {
            findings.Add(new Finding("dmarc.inherited", FindingSeverity.Info, "DMARC policy comes from a parent domain",
                $"{name} has no record of its own; the record of {policy.Domain} applies (\"{record.Text}\"), with its subdomain policy sp={effective.ToString().ToLowerInvariant()}."));
        }

        AddSyntaxFindings(recordName, record, findings);
        AddPolicyFindings(name, recordName, record, effective, inherited, findings);
        var removed = RemovedTags.Where(record.Tags.ContainsKey).ToArray();
        if (removed.Length > 0)
        {
            var cleaned = DmarcRecordEditor.RemoveTags(record.Text, removed);
            findings.Add(new Finding("dmarc.removed-tags", FindingSeverity.Info, "The DMARC record uses tags removed by RFC 9989",
                $"{string.Join(", ", removed.Select(t => t + "="))} {(removed.Length == 1 ? "is" : "are")} no longer part of DMARC (RFC 9989); receivers following it ignore {(removed.Length == 1 ? "it" : "them")}. Use t=y instead of pct= for a trial. Suggested record: \"{cleaned}\".",
                new DnsFix("TXT", recordName, cleaned)));
        }

        findings.AddRange(await CheckReportDestinationsAsync(policy.Domain!, org, record, cancellationToken).ConfigureAwait(false));
        if (reportAddress is not null && !record.AggregateReportUris.Any(u => string.Equals(u.Mailbox, reportAddress, StringComparison.OrdinalIgnoreCase)))
        {
            var rua = string.Join(",", record.AggregateReportUris.Select(u => u.Uri).Append("mailto:" + reportAddress));
            findings.Add(new Finding("dmarc.reports-not-to-parley", FindingSeverity.Info, "Aggregate reports do not come to Parley",
                $"The record's rua= does not name {reportAddress}, so Parley cannot show which sources send as {name} and whether they pass. Add it (reports may go to several addresses):",
                new DnsFix("TXT", recordName, DmarcRecordEditor.SetTag(record.Text, "rua", rua))));
        }
        findings.LeadWithPassWhenClean(new Finding("dmarc.valid", FindingSeverity.Pass, "DMARC record is valid",
            $"{recordName}: \"{record.Text}\" (policy {effective.ToString().ToLowerInvariant()})."));

        return new DmarcAnalysis
        {
            Domain = name,
            Record = record,
            PolicyDomain = policy.Domain,
            OrganizationalDomain = org,
            EffectivePolicy = effective,
            Findings = findings,
        };
    }

    /// <summary>Will mail sent by Parley's route pass DMARC for <paramref name="fromDomain"/>? (aligned SPF or aligned DKIM).</summary>
    public async Task<Finding> CheckAlignmentAsync(string fromDomain, DmarcAnalysis analysis, DmarcRouteIdentity route, CancellationToken cancellationToken)
    {
        var from = DnsName.TryNormalize(fromDomain, out var f) ? f : fromDomain;
        var fromOrg = analysis.OrganizationalDomain ?? from;
        var spfMode = analysis.Record?.SpfAlignment ?? DmarcAlignment.Relaxed;
        var dkimMode = analysis.Record?.DkimAlignment ?? DmarcAlignment.Relaxed;
        var domains = route.Dkim.Select(d => d.Domain).Append(route.EnvelopeDomain).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var orgs = await Task.WhenAll(domains.Select(d => _discovery.FindOrganizationalDomainAsync(d, cancellationToken))).ConfigureAwait(false);
        var orgOf = domains.Zip(orgs).ToDictionary(p => p.First, p => p.Second, StringComparer.OrdinalIgnoreCase);

        bool spfAlignedDomain = DmarcAlignmentCheck.IsAligned(route.EnvelopeDomain, from, spfMode, orgOf[route.EnvelopeDomain], fromOrg);
        bool spfAligned = spfAlignedDomain && route.SpfAuthorizes;
        var dkimAligned = route.Dkim.Where(d => d.KeyValid && DmarcAlignmentCheck.IsAligned(d.Domain, from, dkimMode, orgOf[d.Domain], fromOrg)).ToArray();

        var parts = new List<string>
        {
            $"SPF: the bounce domain {route.EnvelopeDomain} is {(spfAlignedDomain ? "aligned" : "not aligned")} with {from} ({spfMode.ToString().ToLowerInvariant()}){(spfAlignedDomain && !route.SpfAuthorizes ? " but its SPF record does not authorize Parley's route" : string.Empty)}",
            route.Dkim.Count == 0
                ? "DKIM: Parley signs with no selector"
                : $"DKIM: {string.Join(", ", route.Dkim.Select(d => $"d={d.Domain} s={d.Selector} {(d.KeyValid ? (DmarcAlignmentCheck.IsAligned(d.Domain, from, dkimMode, orgOf[d.Domain], fromOrg) ? "aligned" : "not aligned") : "key not usable")}"))} ({dkimMode.ToString().ToLowerInvariant()})",
        };
        var detail = string.Join("; ", parts) + ".";
        if (spfAligned || dkimAligned.Length > 0)
        {
            var robust = spfAligned && dkimAligned.Length > 0 ? " Both pass, so forwarding (which breaks SPF) still passes through DKIM." : dkimAligned.Length == 0 ? " Only SPF aligns: forwarded mail will fail DMARC; sign with DKIM d=" + from + "." : string.Empty;
            return new Finding("dmarc.aligned", FindingSeverity.Pass, "Parley's mail will pass DMARC", detail + robust);
        }

        return new Finding("dmarc.not-aligned", FindingSeverity.Fail, "Parley's mail will fail DMARC",
            detail + $" Mail from {from} needs an aligned pass: sign with DKIM d={from} (or a subdomain, with relaxed alignment) and publish its key, or use a bounce domain under {fromOrg} whose SPF authorizes Parley.");
    }

    private static void AddSyntaxFindings(string recordName, DmarcRecord record, List<Finding> findings)
    {
        if (!record.PolicyPublished)
        {
            findings.Add(new Finding("dmarc.syntax", FindingSeverity.Fail, "The DMARC record has no valid policy",
                $"{recordName}: \"{record.Text}\": {record.Warnings[0]}. Without a valid p= receivers may ignore the record.",
                new DnsFix("TXT", recordName, DmarcRecordEditor.SetTag(record.Text, "p", "none"))));
        }

        var other = record.Warnings.Where(w => !w.StartsWith("p=", StringComparison.Ordinal)).ToArray();
        if (other.Length > 0)
        {
            findings.Add(new Finding("dmarc.syntax", FindingSeverity.Warn, "The DMARC record has errors",
                $"{recordName}: {string.Join("; ", other)}."));
        }
    }

    private static void AddPolicyFindings(string domain, string recordName, DmarcRecord record, DmarcPolicy effective, bool inherited, List<Finding> findings)
    {
        if (effective == DmarcPolicy.None && record.PolicyPublished)
        {
            var next = DmarcRecordEditor.RemoveTags(DmarcRecordEditor.SetTag(record.Text, inherited ? "sp" : "p", "quarantine"), RemovedTags);
            var reports = record.AggregateReportUris.Count > 0
                ? "Read the aggregate reports (rua=) for 2–4 weeks until every service that sends as " + domain + " passes."
                : "First add rua=mailto:… to receive aggregate reports, and read them for 2–4 weeks until every service that sends as " + domain + " passes.";
            findings.Add(new Finding("dmarc.policy-none", FindingSeverity.Warn, "DMARC policy is none (monitoring only)",
                $"p=none asks receivers to deliver mail that fails DMARC, so anyone can send as {domain}. Safe path: 1) {reports} 2) Publish the record below with t=y (test mode: receivers apply it one step softer). 3) Remove t=y. 4) Move to p=reject once reports stay clean.",
                new DnsFix("TXT", recordName, DmarcRecordEditor.SetTag(next, "t", "y"))));
        }
        else if (record.TestMode)
        {
            findings.Add(new Finding("dmarc.testing", FindingSeverity.Info, "DMARC is in test mode (t=y)",
                $"Receivers apply {effective.ToString().ToLowerInvariant()} one step softer. Remove t=y when the reports show every sender passing."));
        }
    }

    /// <summary>
    /// RFC 7489 §7.1 for Parley's own reports address: when it is outside the policy domain's organization (the alias
    /// domain is another domain), the alias domain must publish &lt;policy-domain&gt;._report._dmarc.&lt;alias-domain&gt;.
    /// </summary>
    private async Task<IEnumerable<Finding>> CheckOwnReportAuthorizationAsync(string policyDomain, string org, string? reportAddress, CancellationToken cancellationToken)
    {
        if (reportAddress is null || reportAddress.LastIndexOf('@') is var at && at <= 0)
        {
            return [];
        }

        var destination = reportAddress[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
        if (DnsName.IsSameOrSubdomain(destination, org))
        {
            return [];
        }

        var name = $"{policyDomain}._report._dmarc.{destination}";
        var answer = await SafeDns.QueryAsync(dns, name, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        if (answer.IsTemporaryFailure)
        {
            return [new Finding("dmarc.report-authorization-unknown", FindingSeverity.Info, "The reports authorization could not be checked",
                $"The lookup of {name} failed ({answer.Status}).")];
        }

        return answer.RecordsOf<DnsTxtRecord>().Any(t => t.Text.TrimStart().StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase))
            ? [new Finding("dmarc.report-authorization", FindingSeverity.Pass, "The alias domain accepts this domain's reports", $"{name} publishes \"v=DMARC1\" (RFC 7489 §7.1).")]
            : [new Finding("dmarc.report-authorization-missing", FindingSeverity.Warn, "The alias domain must authorize this domain's reports",
                $"Reports go to {reportAddress}, outside {org}; receivers send them there only when {destination} publishes {name} TXT \"v=DMARC1\" (RFC 7489 §7.1). Publish it along with the DMARC record.",
                new DnsFix("TXT", name, "v=DMARC1"))];
    }

    /// <summary>RFC 7489 7.1 / DMARCbis: a destination outside the domain's organization must publish &lt;domain&gt;._report._dmarc.&lt;dest&gt;.</summary>
    private async Task<IEnumerable<Finding>> CheckReportDestinationsAsync(string policyDomain, string org, DmarcRecord record, CancellationToken cancellationToken)
    {
        var destinations = record.AggregateReportUris.Concat(record.FailureReportUris)
            .Select(u => u.Mailbox)
            .Where(m => m is not null && m.Contains('@'))
            .Select(m => m![(m!.LastIndexOf('@') + 1)..].Trim().TrimEnd('.').ToLowerInvariant())
            .Where(d => !DnsName.IsSameOrSubdomain(d, org))
            .Distinct()
            .ToArray();
        var checks = await Task.WhenAll(destinations.Select(async dest =>
        {
            var name = $"{policyDomain}._report._dmarc.{dest}";
            var answer = await SafeDns.QueryAsync(dns, name, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
            return (dest, name, answer);
        })).ConfigureAwait(false);

        var findings = new List<Finding>();
        foreach (var (dest, name, answer) in checks)
        {
            if (answer.IsTemporaryFailure)
            {
                findings.Add(new Finding("dmarc.report-destination-unknown", FindingSeverity.Info, "Report destination could not be checked",
                    $"The lookup of {name} failed ({answer.Status}); reports to {dest} may or may not be sent."));
            }
            else if (!answer.RecordsOf<DnsTxtRecord>().Any(t => t.Text.TrimStart().StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)))
            {
                findings.Add(new Finding("dmarc.report-destination-unauthorized", FindingSeverity.Warn, "A DMARC report destination has not authorized reports",
                    $"Reports go to {dest}, outside {org}; receivers only send them there if {dest} publishes {name} TXT \"v=DMARC1\". Ask the owner of {dest} to publish it (report services do this for their customers).",
                    new DnsFix("TXT", name, "v=DMARC1")));
            }
        }

        return findings;
    }
}
