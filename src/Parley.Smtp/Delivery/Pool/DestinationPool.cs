namespace Parley.Smtp.Delivery.Pool;

/// <summary>
/// The connections of one destination (a relay, or a recipient domain's MX hosts). <see cref="Slots"/> bounds the
/// senders at work; idle sessions are kept so that busy plus idle never exceeds the same limit.
/// </summary>
internal sealed class DestinationPool(int maxConnections)
{
    private readonly List<PooledConnection> _idle = [];
    private readonly Lock _gate = new();
    private int _users;
    private int _busy;
    private bool _retired;

    public SemaphoreSlim Slots { get; } = new(maxConnections, maxConnections);

    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Registers a sender; false when the sweeper retired this pool (take the new one from the map).</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _users++;
            return true;
        }
    }

    /// <summary>
    /// Called holding a slot: the most recently used live idle session to <paramref name="endpoint"/>, if any. Expired
    /// and dead sessions, and idle sessions to other endpoints that would push the destination over its limit, go to
    /// <paramref name="toClose"/>.
    /// </summary>
    public PooledConnection? TakeIdle(EndpointKey endpoint, DateTimeOffset expiredBefore, List<PooledConnection> toClose)
    {
        lock (_gate)
        {
            _busy++;
            RemoveExpired(expiredBefore, toClose);
            for (var i = _idle.Count - 1; i >= 0; i--)
            {
                if (_idle[i].Endpoint == endpoint)
                {
                    var connection = _idle[i];
                    _idle.RemoveAt(i);
                    return connection;
                }
            }

            // A new session will be opened: make room among idle sessions to other hosts of this destination.
            while (_idle.Count > 0 && _idle.Count + _busy > maxConnections)
            {
                toClose.Add(_idle[0]);
                _idle.RemoveAt(0);
            }

            return null;
        }
    }

    /// <summary>Gives the slot back; a reusable session joins the idle list.</summary>
    public void Return(PooledConnection? connection, bool reusable, List<PooledConnection> toClose)
    {
        lock (_gate)
        {
            _busy--;
            _users--;
            if (connection is not null)
            {
                if (reusable && !_retired)
                {
                    _idle.Add(connection);
                }
                else
                {
                    toClose.Add(connection);
                }
            }
        }

        Slots.Release();
    }

    /// <summary>A sender that never got a slot (cancelled while waiting).</summary>
    public void Leave()
    {
        lock (_gate)
        {
            _users--;
        }
    }

    /// <summary>Closes expired sessions; retires the pool when nobody uses it and nothing is idle.</summary>
    public bool Sweep(DateTimeOffset expiredBefore, List<PooledConnection> toClose)
    {
        lock (_gate)
        {
            RemoveExpired(expiredBefore, toClose);
            if (_users == 0 && _idle.Count == 0)
            {
                _retired = true;
            }

            return _retired;
        }
    }

    /// <summary>Everything idle, for shutdown; later returns are closed instead of kept.</summary>
    public void Drain(List<PooledConnection> toClose)
    {
        lock (_gate)
        {
            _retired = true;
            toClose.AddRange(_idle);
            _idle.Clear();
        }
    }

    private void RemoveExpired(DateTimeOffset expiredBefore, List<PooledConnection> toClose)
    {
        for (var i = _idle.Count - 1; i >= 0; i--)
        {
            if (_idle[i].LastUsed <= expiredBefore || !_idle[i].Client.IsConnected)
            {
                toClose.Add(_idle[i]);
                _idle.RemoveAt(i);
            }
        }
    }
}
