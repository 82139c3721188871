using System.Collections.Concurrent;

namespace Parley.Deliverability.Dns;

/// <summary>
/// Keeps answers for their TTL (clamped to the configured bounds), negative answers for their
/// negative TTL; never keeps failures, so a timeout is retried on the next lookup. Time comes from the
/// injected <see cref="TimeProvider"/> so tests can move the clock.
/// </summary>
public sealed class CachingDnsResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly TimeProvider _time;
    private readonly DnsOptions _options;
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Entry> _entries = new();

    public CachingDnsResolver(IDnsResolver inner, TimeProvider time, DnsOptions options)
    {
        _inner = inner;
        _time = time;
        _options = options;
    }

    public int Count => _entries.Count;

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        if (!DnsName.TryNormalize(name, out var key))
        {
            return DnsAnswer.Failure(name ?? string.Empty, type, DnsStatus.InvalidName, "The name cannot be queried.");
        }

        var now = _time.GetUtcNow();
        if (_entries.TryGetValue((key, type), out var cached))
        {
            if (cached.Expires > now)
            {
                return cached.Answer;
            }

            _entries.TryRemove(new KeyValuePair<(string, DnsRecordType), Entry>((key, type), cached));
        }

        var answer = await _inner.QueryAsync(key, type, cancellationToken).ConfigureAwait(false);
        if (answer.IsFound || answer.IsVoid)
        {
            var ttl = answer.Ttl;
            if (ttl < _options.MinimumCacheTtl)
            {
                ttl = _options.MinimumCacheTtl;
            }

            if (ttl > _options.MaximumCacheTtl)
            {
                ttl = _options.MaximumCacheTtl;
            }

            if (ttl > TimeSpan.Zero)
            {
                MakeRoom(now);
                _entries[(key, type)] = new Entry(answer, now + ttl);
            }
        }

        return answer;
    }

    /// <summary>Bounded memory: drop expired entries first, everything if that is not enough.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < _options.MaxCacheEntries)
        {
            return;
        }

        foreach (var entry in _entries)
        {
            if (entry.Value.Expires <= now)
            {
                _entries.TryRemove(entry);
            }
        }

        if (_entries.Count >= _options.MaxCacheEntries)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(DnsAnswer Answer, DateTimeOffset Expires);
}
