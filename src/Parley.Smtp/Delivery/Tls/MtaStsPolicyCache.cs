using System.Collections.Concurrent;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Deliverability.MtaSts;

namespace Parley.Smtp.Delivery.Tls;

/// <summary>
/// The MTA-STS policies of recipient domains (RFC 8461 §3.3, §5.1), kept for their max_age. The TXT record is asked on
/// each use (the DNS resolver caches it); the HTTPS policy is fetched again only when the TXT id changed or the cached
/// policy expired. A failed refresh keeps the cached policy until it expires, as the RFC requires, so an attacker who
/// blocks the policy host cannot turn enforcement off. In memory, per process (ADR 0023 says why not in the database).
/// </summary>
public sealed class MtaStsPolicyCache(IDnsResolver dns, IMtaStsPolicyFetcher fetcher, TimeProvider? timeProvider = null)
{
    /// <summary>How long a failed fetch of a domain's policy (under one TXT id) is not tried again: each email would
    /// otherwise wait for the policy host's timeout.</summary>
    public static readonly TimeSpan RetryFailedFetchAfter = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Cached> _policies = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Id, DateTimeOffset Until)> _failedFetches = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Policy fetches done (for tests: a cache hit fetches nothing).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    private int _fetches;

    /// <summary>The policy in effect for <paramref name="domain"/>, or null when it has none (or mode none).</summary>
    public async Task<MtaStsPolicy?> GetAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var now = _time.GetUtcNow();
        var cached = _policies.TryGetValue(domain, out var c) && c.Expires > now ? c : null;
        var txt = await dns.QueryTxtAsync("_mta-sts." + domain, cancellationToken).ConfigureAwait(false);
        var id = txt.IsFound ? MtaStsPolicy.IdFromTxt(txt.RecordsOf<DnsTxtRecord>().Select(r => r.Text)) : null;
        if (id is null || (cached is not null && cached.Policy.Id == id))
        {
            // No (valid) TXT record: a cached, unexpired policy still applies (§5.1); otherwise the domain has none.
            return Effective(cached);
        }

        if (_failedFetches.TryGetValue(domain, out var failed) && failed.Id == id && failed.Until > now)
        {
            return Effective(cached);
        }

        Interlocked.Increment(ref _fetches);
        var fetched = await fetcher.FetchAsync(domain, cancellationToken).ConfigureAwait(false);
        var parsed = fetched.Policy is null ? null : MtaStsPolicy.Parse(fetched.Policy).Policy;
        if (parsed is null)
        {
            // §3.3: a failed fetch leaves a valid cached policy in force; with none, deliver as if there were no policy.
            _failedFetches[domain] = (id, now + RetryFailedFetchAfter);
            return Effective(cached);
        }

        _failedFetches.TryRemove(domain, out _);

        var policy = parsed with { Id = id };
        _policies[domain] = new Cached(policy, now + policy.MaxAge);
        return Effective(_policies[domain]);
    }

    private static MtaStsPolicy? Effective(Cached? cached) =>
        cached is null || cached.Policy.Mode == MtaStsMode.None ? null : cached.Policy;

    private sealed record Cached(MtaStsPolicy Policy, DateTimeOffset Expires);
}
