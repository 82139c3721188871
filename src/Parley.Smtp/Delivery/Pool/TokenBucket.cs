namespace Parley.Smtp.Delivery.Pool;

/// <summary>
/// A token bucket that hands out reservations: a caller takes a token now and is told how long to wait for it, so
/// concurrent senders are spaced out at the rate instead of all waking at once.
/// </summary>
internal sealed class TokenBucket(double ratePerSecond, int burst, DateTimeOffset now)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private DateTimeOffset _updated = now;

    /// <summary>Reserves one token; returns the wait before using it, or false when that wait would exceed <paramref name="maxWait"/>.</summary>
    public bool TryReserve(DateTimeOffset now, TimeSpan maxWait, out TimeSpan wait)
    {
        lock (_gate)
        {
            Refill(now);
            wait = _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / ratePerSecond);
            if (wait > maxWait)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }

    /// <summary>True when the bucket is full again, i.e. forgetting it changes nothing.</summary>
    public bool IsFull(DateTimeOffset now)
    {
        lock (_gate)
        {
            Refill(now);
            return _tokens >= burst;
        }
    }

    private void Refill(DateTimeOffset now)
    {
        if (now > _updated)
        {
            _tokens = Math.Min(burst, _tokens + ((now - _updated).TotalSeconds * ratePerSecond));
            _updated = now;
        }
    }
}
