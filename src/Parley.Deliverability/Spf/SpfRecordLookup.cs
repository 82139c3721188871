using System.Collections.Concurrent;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Spf;

public enum SpfRecordStatus
{
    Found,
    None,
    Multiple,
    TempError,
}

/// <summary>The TXT lookup of RFC 7208 4.4/4.5: which record, if exactly one, is the domain's SPF record.</summary>
public sealed record SpfRecordLookupResult(SpfRecordStatus Status, IReadOnlyList<DnsTxtRecord> SpfRecords, DnsAnswer? Answer, string? Problem)
{
    /// <summary>The single record's text (strings joined) when <see cref="Status"/> is Found.</summary>
    public string? Text => Status == SpfRecordStatus.Found ? SpfRecords[0].Text : null;
}

public static class SpfRecordLookup
{
    private const int MaxCachedParses = 4096;
    private static readonly ConcurrentDictionary<string, SpfParseResult> Parsed = new(StringComparer.Ordinal);

    public static async Task<SpfRecordLookupResult> FindAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var answer = await SafeDns.QueryAsync(resolver, domain, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        if (answer.IsTemporaryFailure)
        {
            return new SpfRecordLookupResult(SpfRecordStatus.TempError, [], answer, $"TXT lookup for {domain} failed: {answer.Status} {answer.Error}".TrimEnd());
        }

        if (!answer.IsFound)
        {
            return new SpfRecordLookupResult(SpfRecordStatus.None, [], answer, null);
        }

        List<DnsTxtRecord>? spf = null;
        foreach (var record in answer.Records)
        {
            if (record is DnsTxtRecord txt && SpfRecordParser.IsSpfRecord(txt.Text))
            {
                (spf ??= []).Add(txt);
            }
        }

        return spf switch
        {
            null => new SpfRecordLookupResult(SpfRecordStatus.None, [], answer, null),
            { Count: 1 } => new SpfRecordLookupResult(SpfRecordStatus.Found, spf, answer, null),
            _ => new SpfRecordLookupResult(SpfRecordStatus.Multiple, spf, answer, $"{domain} publishes {spf.Count} SPF records; exactly one is allowed"),
        };
    }

    /// <summary>Parses with a bounded memo: the same few records are evaluated over and over.</summary>
    public static SpfParseResult ParseCached(string text)
    {
        if (Parsed.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var result = SpfRecordParser.Parse(text);
        if (Parsed.Count >= MaxCachedParses)
        {
            Parsed.Clear();
        }

        Parsed[text] = result;
        return result;
    }
}

/// <summary>Guards the resolver seam: a resolver that throws anyway becomes an Error answer, not a crash.</summary>
internal static class SafeDns
{
    public static async Task<DnsAnswer> QueryAsync(IDnsResolver resolver, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        try
        {
            return await resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return DnsAnswer.Failure(name, type, DnsStatus.Error, ex.Message);
        }
    }
}
