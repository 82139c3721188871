using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Dmarc;

/// <summary>
/// DMARC for inbound mail (DMARCbis, RFC 7489 records understood): find the policy by the DNS tree walk,
/// check SPF and DKIM alignment against the From domain, and say what to do with a failing message.
/// Never throws for bad input or DNS trouble; only cancellation propagates.
/// </summary>
public sealed class DmarcEvaluator(IDnsResolver dns)
{
    private readonly DmarcDiscovery _discovery = new(dns);

    public async Task<DmarcEvaluation> EvaluateAsync(DmarcEvaluationInput input, CancellationToken cancellationToken)
    {
        if (!DnsName.TryNormalize(input.FromDomain, out var from) || !from.Contains('.'))
        {
            return new DmarcEvaluation { Result = DmarcResult.PermError, Reason = $"the From domain '{input.FromDomain}' is not a domain name" };
        }

        var policyTask = _discovery.FindPolicyAsync(from, cancellationToken);
        var fromOrgTask = _discovery.FindOrganizationalDomainAsync(from, cancellationToken);
        var policy = await policyTask.ConfigureAwait(false);
        if (policy.Status == DmarcLookupStatus.TempError)
        {
            return new DmarcEvaluation { Result = DmarcResult.TempError, Reason = policy.Problem ?? "the DMARC record could not be read" };
        }

        if (policy.Record is not { } record)
        {
            return new DmarcEvaluation { Result = DmarcResult.None, Reason = policy.Problem ?? $"no DMARC record for {from}" };
        }

        var fromOrg = await fromOrgTask.ConfigureAwait(false) ?? from;

        // Only the organizational domains that can change the answer are looked up, all at once.
        bool spfPassed = input.SpfResult == SpfVerdict.Pass && !string.IsNullOrEmpty(input.SpfDomain);
        var passingDkim = input.DkimResults.Where(r => r.Result == DkimResult.Pass && r.Domain.Length > 0).ToArray();
        var orgLookups = new Dictionary<string, Task<string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in passingDkim.Select(r => r.Domain).Append(spfPassed ? input.SpfDomain! : null))
        {
            if (domain is not null && !orgLookups.ContainsKey(domain))
            {
                orgLookups[domain] = _discovery.FindOrganizationalDomainAsync(domain, cancellationToken);
            }
        }

        await Task.WhenAll(orgLookups.Values).ConfigureAwait(false);
        string? OrgOf(string domain) => orgLookups.TryGetValue(domain, out var t) ? t.Result : null;

        bool spfAligned = spfPassed && DmarcAlignmentCheck.IsAligned(input.SpfDomain!, from, record.SpfAlignment, OrgOf(input.SpfDomain!), fromOrg);
        var alignedDkim = passingDkim.FirstOrDefault(r => DmarcAlignmentCheck.IsAligned(r.Domain, from, record.DkimAlignment, OrgOf(r.Domain), fromOrg));
        var testMode = record.TestMode || (record.Tags.ContainsKey("pct") && record.Percent == 0);
        var result = new DmarcEvaluation
        {
            Result = spfAligned || alignedDkim is not null ? DmarcResult.Pass : DmarcResult.Fail,
            PolicyDomain = policy.Domain,
            OrganizationalDomain = fromOrg,
            SpfAligned = spfAligned,
            DkimAligned = alignedDkim is not null,
            AlignedDkimDomain = alignedDkim?.Domain,
            TestMode = testMode,
        };

        if (result.Result == DmarcResult.Pass)
        {
            return result with
            {
                PublishedPolicy = record.Policy,
                Reason = alignedDkim is not null ? $"DKIM d={alignedDkim.Domain} is aligned with {from}" : $"SPF {input.SpfDomain} is aligned with {from}",
            };
        }

        var published = await ApplicablePolicyAsync(from, policy.Domain!, record, cancellationToken).ConfigureAwait(false);
        var disposition = testMode ? Soften(published) : published;
        return result with
        {
            PublishedPolicy = published,
            Disposition = disposition,
            Reason = $"neither SPF ({(spfPassed ? $"{input.SpfDomain} not aligned" : input.SpfResult.ToToken())}) nor DKIM ({DescribeDkim(input.DkimResults, passingDkim.Length)}) gives an aligned pass for {from}"
                + (testMode ? "; the policy is in test mode (t=y), so it is applied one step softer" : string.Empty),
        };
    }

    /// <summary>p= for the domain's own record; sp= below it, or np= when the From domain does not exist.</summary>
    private async Task<DmarcPolicy> ApplicablePolicyAsync(string from, string policyDomain, DmarcRecord record, CancellationToken cancellationToken)
    {
        if (string.Equals(from, policyDomain, StringComparison.OrdinalIgnoreCase))
        {
            return record.Policy;
        }

        if (record.Tags.ContainsKey("np") && await DoesNotExistAsync(from, cancellationToken).ConfigureAwait(false))
        {
            return record.NonExistentSubdomainPolicy;
        }

        return record.SubdomainPolicy;
    }

    /// <summary>DMARCbis: a domain that answers NXDOMAIN for A, AAAA and MX does not exist.</summary>
    private async Task<bool> DoesNotExistAsync(string domain, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(
            SafeDns.QueryAsync(dns, domain, DnsRecordType.A, cancellationToken),
            SafeDns.QueryAsync(dns, domain, DnsRecordType.Aaaa, cancellationToken),
            SafeDns.QueryAsync(dns, domain, DnsRecordType.Mx, cancellationToken)).ConfigureAwait(false);
        return answers.All(a => a.Status == DnsStatus.NxDomain);
    }

    private static DmarcPolicy Soften(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Reject => DmarcPolicy.Quarantine,
        _ => DmarcPolicy.None,
    };

    private static string DescribeDkim(IReadOnlyList<DkimSignatureResult> results, int passing) =>
        results.Count == 0 ? "no signature" : passing == 0 ? "no passing signature" : "no passing signature aligned";
}
