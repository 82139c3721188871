using System.Collections.Concurrent;

namespace Parley.Smtp.Delivery.Pool;

/// <summary>Messages per second per recipient domain (<see cref="SmtpDeliveryOptions.RateLimitPerDomain"/>), on the injected clock.</summary>
internal sealed class DomainRateLimiter(SmtpDeliveryOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => options.RateLimitPerDomain is > 0;

    /// <summary>
    /// Waits for a token of every domain in <paramref name="domains"/>. Returns the domain that would need a longer
    /// wait than <see cref="SmtpDeliveryOptions.MaxRateLimitWait"/> (the caller defers the message), or null when sent may go.
    /// </summary>
    public async Task<string?> WaitAsync(IEnumerable<string> domains, CancellationToken cancellationToken)
    {
        if (options.RateLimitPerDomain is not { } rate || rate <= 0)
        {
            return null;
        }

        if (_buckets.Count > 10_000)
        {
            Sweep();
        }

        var burst = Math.Max(1, options.RateLimitBurst);
        var longest = TimeSpan.Zero;
        foreach (var domain in domains.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var now = time.GetUtcNow();
            var bucket = _buckets.GetOrAdd(domain, static (_, state) => new TokenBucket(state.rate, state.burst, state.now), (rate, burst, now));
            if (!bucket.TryReserve(now, options.MaxRateLimitWait, out var wait))
            {
                return domain;
            }

            longest = wait > longest ? wait : longest;
        }

        if (longest > TimeSpan.Zero)
        {
            await Task.Delay(longest, time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Forgets full buckets so the map does not grow with every domain ever mailed.</summary>
    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (domain, bucket) in _buckets)
        {
            if (bucket.IsFull(now))
            {
                _buckets.TryRemove(new KeyValuePair<string, TokenBucket>(domain, bucket));
            }
        }
    }
}
