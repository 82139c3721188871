using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Dkim;

public enum DkimKeyStatus
{
    Found,

    /// <summary>No TXT record at the selector name (NXDOMAIN or NODATA).</summary>
    Missing,

    /// <summary>TXT records exist but none is a usable key record.</summary>
    Invalid,

    /// <summary>The lookup failed (SERVFAIL, timeout…); try again later.</summary>
    TempError,
}

/// <summary>The key found at a selector, or why none was; <see cref="Texts"/> keeps every TXT record seen there.</summary>
public sealed record DkimKeyLookupResult(
    DkimKeyStatus Status,
    string Name,
    DkimKeyRecord? Record,
    IReadOnlyList<DnsTxtRecord> Texts,
    string? Problem);

/// <summary>Fetches and parses &lt;selector&gt;._domainkey.&lt;domain&gt; through the resolver seam.</summary>
public static class DkimKeyLookup
{
    public static string RecordName(string selector, string domain) =>
        $"{selector.Trim().TrimEnd('.')}._domainkey.{domain.Trim().TrimEnd('.')}".ToLowerInvariant();

    public static async Task<DkimKeyLookupResult> FindAsync(IDnsResolver dns, string domain, string selector, CancellationToken cancellationToken)
    {
        var name = RecordName(selector, domain);
        if (!DnsName.TryNormalize(name, out var queryName))
        {
            return new DkimKeyLookupResult(DkimKeyStatus.Invalid, name, null, [], $"'{name}' is not a valid DNS name");
        }

        var answer = await SafeDns.QueryAsync(dns, queryName, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        if (answer.IsTemporaryFailure)
        {
            return new DkimKeyLookupResult(DkimKeyStatus.TempError, queryName, null, [], $"TXT lookup for {queryName} failed: {answer.Status} {answer.Error}".TrimEnd());
        }

        if (answer.Status == DnsStatus.InvalidName)
        {
            return new DkimKeyLookupResult(DkimKeyStatus.Invalid, queryName, null, [], $"'{queryName}' is not a valid DNS name");
        }

        var texts = answer.RecordsOf<DnsTxtRecord>().ToArray();
        if (texts.Length == 0)
        {
            return new DkimKeyLookupResult(DkimKeyStatus.Missing, queryName, null, [], $"{queryName} has no TXT record ({answer.Status})");
        }

        string? firstError = null;
        foreach (var txt in texts)
        {
            var parsed = DkimKeyRecordParser.Parse(txt.Text);
            if (parsed.Record is { } record)
            {
                return new DkimKeyLookupResult(DkimKeyStatus.Found, queryName, record, texts, null);
            }

            firstError ??= parsed.Error;
        }

        return new DkimKeyLookupResult(DkimKeyStatus.Invalid, queryName, null, texts, $"the key record at {queryName} is invalid: {firstError}");
    }
}
