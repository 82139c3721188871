using System.Collections.Concurrent;

namespace Parley.Smtp.Delivery.Pool;

/// <summary>
/// Adaptive throttling per recipient domain: a 421 or 4.7.x answer (a provider asking to slow down) holds further mail
/// to that domain back for <see cref="SmtpDeliveryOptions.ThrottleBackoff"/>, doubled by each further one up to
/// <see cref="SmtpDeliveryOptions.MaxThrottleBackoff"/> and halved by each accepted message, so a busy provider sees
/// one probe per backoff instead of every queued message burning a retry on it.
/// </summary>
internal sealed class DestinationThrottle(SmtpDeliveryOptions options, TimeProvider time)
{
    private sealed record Hold(DateTimeOffset Until, TimeSpan Backoff, string Reply);

    private readonly ConcurrentDictionary<string, Hold> _domains = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first of <paramref name="domains"/> that is held back now: how long still, and what its server said.</summary>
    public (string Domain, TimeSpan Wait, string Reply)? Holding(IEnumerable<string> domains)
    {
        var now = time.GetUtcNow();
        foreach (var domain in domains)
        {
            if (_domains.TryGetValue(domain, out var hold) && hold.Until > now)
            {
                return (domain, hold.Until - now, hold.Reply);
            }
        }
        return null;
    }

    /// <summary>Learns from a server's answer; returns the backoff when it asked to slow down.</summary>
    public TimeSpan? Observe(IEnumerable<string> domains, DeliveryResult result)
    {
        if (result.Host is null)
        {
            return null; // decided here (DNS, Parley's own rate limit): no server spoke
        }
        var now = time.GetUtcNow();
        if (AsksToSlowDown(result))
        {
            var longest = TimeSpan.Zero;
            foreach (var domain in domains.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var hold = _domains.AddOrUpdate(domain,
                    _ => new Hold(now + options.ThrottleBackoff, options.ThrottleBackoff, result.ReplyText),
                    (_, previous) =>
                    {
                        // Answers to sends that were in flight together are one "slow down", not several: only an answer
                        // after the hold ran out (the probe) doubles it.
                        if (previous.Until > now)
                        {
                            return previous;
                        }
                        var backoff = TimeSpan.FromTicks(Math.Min(previous.Backoff.Ticks * 2, options.MaxThrottleBackoff.Ticks));
                        return new Hold(now + backoff, backoff, result.ReplyText);
                    });
                longest = hold.Backoff > longest ? hold.Backoff : longest;
            }
            return longest;
        }
        if (result.IsSent)
        {
            foreach (var domain in domains)
            {
                if (_domains.TryGetValue(domain, out var hold))
                {
                    var halved = hold.Backoff / 2;
                    if (halved < options.ThrottleBackoff)
                    {
                        _domains.TryRemove(new KeyValuePair<string, Hold>(domain, hold));
                    }
                    else
                    {
                        _domains.TryUpdate(domain, hold with { Backoff = halved }, hold);
                    }
                }
            }
        }
        return null;
    }

    /// <summary>421 (the service is busy or closing) or an RFC 3463 4.7.x code (policy: "too many messages, slow down").</summary>
    private static bool AsksToSlowDown(DeliveryResult result) =>
        result.Outcome == DeliveryOutcome.TransientFailure
        && (IsSlowDown(result.StatusCode, result.EnhancedStatus, result.Response)
            || result.Recipients.Any(r => r.Outcome == DeliveryOutcome.TransientFailure && IsSlowDown(r.StatusCode, r.EnhancedStatus, r.Response)));

    private static bool IsSlowDown(int code, string? enhanced, string text) =>
        code == 421 || (code is >= 400 and < 500 && ((enhanced ?? "").StartsWith("4.7.", StringComparison.Ordinal) || text.TrimStart().StartsWith("4.7.", StringComparison.Ordinal)));
}
