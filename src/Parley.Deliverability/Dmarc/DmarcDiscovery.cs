using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Dmarc;

public enum DmarcLookupStatus
{
    Found,
    None,
    TempError,
}

/// <summary>A DMARC record found at _dmarc.<see cref="Domain"/>, or why none was.</summary>
public sealed record DmarcLookupResult(DmarcLookupStatus Status, string? Domain, DmarcRecord? Record, string? Problem);

/// <summary>
/// The DMARCbis DNS tree walk, which replaces the Public Suffix List: look at _dmarc.&lt;domain&gt;, then
/// up the tree (jumping to 7 labels first when the name has more than 8), one label at a time.
/// </summary>
public sealed class DmarcDiscovery(IDnsResolver dns)
{
    private const int MaxLabelsBeforeJump = 8;
    private const int LabelsAfterJump = 7;

    /// <summary>Names the walk queries, most specific first: "a.b.example.com", "b.example.com", "example.com", "com".</summary>
    public static IReadOnlyList<string> WalkNames(string domain)
    {
        if (!DnsName.TryNormalize(domain, out var name))
        {
            return [];
        }

        var labels = name.Split('.');
        var names = new List<string> { name };
        int count = labels.Length > MaxLabelsBeforeJump ? LabelsAfterJump : labels.Length - 1;
        for (; count >= 1; count--)
        {
            names.Add(string.Join('.', labels[^count..]));
        }

        return names;
    }

    /// <summary>Looks up one name's record: exactly one TXT starting with v=DMARC1, else none (several are ignored, RFC 7489 6.6.3).</summary>
    public async Task<DmarcLookupResult> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        DnsAnswer answer;
        try
        {
            answer = await dns.QueryAsync("_dmarc." + domain, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DmarcLookupResult(DmarcLookupStatus.TempError, domain, null, ex.Message);
        }

        if (answer.IsTemporaryFailure)
        {
            return new DmarcLookupResult(DmarcLookupStatus.TempError, domain, null, $"TXT lookup for _dmarc.{domain} failed: {answer.Status}");
        }

        var records = answer.RecordsOf<DnsTxtRecord>().Where(r => DmarcRecordParser.IsDmarcRecord(r.Text)).ToArray();
        return records.Length switch
        {
            0 => new DmarcLookupResult(DmarcLookupStatus.None, domain, null, null),
            1 => new DmarcLookupResult(DmarcLookupStatus.Found, domain, DmarcRecordParser.Parse(records[0].Text).Record, null),
            _ => new DmarcLookupResult(DmarcLookupStatus.None, domain, null, $"_dmarc.{domain} publishes {records.Length} DMARC records; all are ignored"),
        };
    }

    /// <summary>The policy that applies to <paramref name="domain"/>: its own record, else the first one up the tree.</summary>
    public async Task<DmarcLookupResult> FindPolicyAsync(string domain, CancellationToken cancellationToken)
    {
        DmarcLookupResult? last = null;
        foreach (var name in WalkNames(domain))
        {
            var result = await LookupAsync(name, cancellationToken).ConfigureAwait(false);
            if (result.Status != DmarcLookupStatus.None)
            {
                return result;
            }

            last ??= result;
        }

        return last ?? new DmarcLookupResult(DmarcLookupStatus.None, null, null, $"'{domain}' is not a domain name");
    }

    /// <summary>
    /// The Organizational Domain (DMARCbis 4.10.2): walking up, a record with psd=n marks it; a record
    /// with psd=y (other than the domain's own) puts it one label below; otherwise it is the name with
    /// the fewest labels that has a record. With no record anywhere, the domain itself.
    /// </summary>
    public async Task<string?> FindOrganizationalDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var names = WalkNames(domain);
        if (names.Count == 0)
        {
            return null;
        }

        string? shortestWithRecord = null;
        for (int i = 0; i < names.Count; i++)
        {
            var result = await LookupAsync(names[i], cancellationToken).ConfigureAwait(false);
            if (result.Record is not { } record)
            {
                continue;
            }

            if (record.Psd == DmarcPsd.No)
            {
                return names[i];
            }

            if (record.Psd == DmarcPsd.Yes && i > 0)
            {
                // One label below the public suffix domain, along the queried name (not the jumped-to one).
                var labels = names[0].Split('.');
                return string.Join('.', labels[^(names[i].Split('.').Length + 1)..]);
            }

            shortestWithRecord = names[i];
        }

        return shortestWithRecord ?? names[0];
    }
}
