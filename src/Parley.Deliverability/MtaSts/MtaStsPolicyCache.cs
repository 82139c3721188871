using System.Collections.Concurrent;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.MtaSts;

/// <summary>The policy that applies to a recipient domain now, or none; <see cref="Note"/> says why there is none when something failed.</summary>
public sealed record MtaStsLookup(MtaStsPolicy? Policy, string? Note)
{
    public static MtaStsLookup NoPolicy { get; } = new(null, null);
}

/// <summary>Where direct delivery learns a recipient domain's MTA-STS policy. A seam, so tests serve policies locally.</summary>
public interface IMtaStsPolicySource
{
    /// <summary>Never throws for DNS or HTTP trouble (it becomes no policy, or the cached one); only cancellation propagates.</summary>
    Task<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken);
}

/// <summary>
/// RFC 8461 §5 as a sending MTA does it: the _mta-sts TXT record first (its id says whether the policy changed), then the
/// policy over HTTPS (<see cref="IMtaStsPolicyFetcher"/>), cached for its max_age. A cached policy that has not expired
/// keeps applying when the TXT record disappears or the fetch fails, so an attacker who blocks either does not turn
/// enforcement off; with no valid policy cached, mail goes as without MTA-STS.
/// </summary>
public sealed class MtaStsPolicyCache(IDnsResolver dns, IMtaStsPolicyFetcher fetcher, TimeProvider time) : IMtaStsPolicySource
{
    private readonly ConcurrentDictionary<string, (MtaStsPolicy Policy, DateTimeOffset Expires)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cached = _cache.TryGetValue(domain, out var entry) && entry.Expires > now ? entry.Policy : null;
        var answer = await SafeDns.QueryAsync(dns, "_mta-sts." + domain, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        var records = answer.RecordsOf<DnsTxtRecord>().Where(t => t.Text.TrimStart().StartsWith("v=STSv1", StringComparison.Ordinal)).ToArray();
        if (records.Length != 1 || Id(records[0].Text) is not { } id)
        {
            return cached is null ? MtaStsLookup.NoPolicy : new MtaStsLookup(cached, null);
        }

        if (cached is not null && cached.Id == id)
        {
            return new MtaStsLookup(cached, null);
        }

        var fetched = await fetcher.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
        if (fetched.Policy is null)
        {
            return new MtaStsLookup(cached, $"the MTA-STS policy of {domain} could not be fetched ({fetched.Error})");
        }

        var (policy, error) = MtaStsPolicy.Parse(fetched.Policy, id);
        if (policy is null)
        {
            return new MtaStsLookup(cached, $"the MTA-STS policy of {domain} is not valid: {error}");
        }

        _cache[domain] = (policy, now + policy.MaxAge);
        return new MtaStsLookup(policy, null);
    }

    private static string? Id(string record)
    {
        foreach (var part in record.Split(';'))
        {
            var tag = part.Trim();
            if (tag.StartsWith("id=", StringComparison.Ordinal) && tag.Length > 3)
            {
                return tag[3..].Trim();
            }
        }

        return null;
    }
}
