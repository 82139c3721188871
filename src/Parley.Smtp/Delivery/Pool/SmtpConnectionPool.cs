using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Smtp.Delivery.Pool;

/// <summary>
/// Keeps authenticated SMTP sessions per destination and lends each to one sender at a time. Limits: open sessions
/// per destination, idle time (swept on a timer from the injected <see cref="TimeProvider"/>), and transactions
/// per session. Thread-safe.
/// </summary>
internal sealed partial class SmtpConnectionPool : IAsyncDisposable
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, DestinationPool> _destinations = new(StringComparer.OrdinalIgnoreCase);
    private readonly SmtpDeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweeper;
    private int _opened;
    private int _reused;
    private volatile bool _disposed;

    public SmtpConnectionPool(SmtpDeliveryOptions options, TimeProvider time, ILogger logger)
    {
        if (options.MaxConnectionsPerDestination < 1 || options.MaxMessagesPerConnection < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConnectionsPerDestination and MaxMessagesPerConnection must be at least 1.");
        }

        _options = options;
        _time = time;
        _logger = logger;
        var period = options.ConnectionIdleTimeout > TimeSpan.Zero ? options.ConnectionIdleTimeout : TimeSpan.FromSeconds(1);
        _sweeper = time.CreateTimer(static state => ((SmtpConnectionPool)state!).Sweep(), this, period, period);
    }

    /// <summary>Sessions opened since start (for tests and metrics).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>Transactions that ran on a reused session.</summary>
    public int ConnectionsReused => Volatile.Read(ref _reused);

    public int IdleConnections => _destinations.Values.Sum(d => d.IdleCount);

    /// <summary>Waits for a slot of <paramref name="destination"/>; the lease carries an idle session when one fits.</summary>
    public async Task<ConnectionLease> AcquireAsync(string destination, EndpointKey endpoint, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var pool = _destinations.GetOrAdd(destination, static (_, max) => new DestinationPool(max), _options.MaxConnectionsPerDestination);
            if (!pool.TryEnter())
            {
                // Retired by the sweeper between the lookup and now; it was removed from the map, so the next lookup differs.
                _destinations.TryRemove(new KeyValuePair<string, DestinationPool>(destination, pool));
                continue;
            }

            try
            {
                await pool.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                pool.Leave();
                throw;
            }

            var toClose = new List<PooledConnection>();
            var idle = pool.TakeIdle(endpoint, _time.GetUtcNow() - _options.ConnectionIdleTimeout, toClose);
            CloseInBackground(toClose);
            if (idle is not null)
            {
                Interlocked.Increment(ref _reused);
            }

            return new ConnectionLease(this, pool, idle);
        }
    }

    internal void NoteOpened(EndpointKey endpoint)
    {
        Interlocked.Increment(ref _opened);
        LogOpened(_logger, endpoint.ToString());
    }

    internal void Return(DestinationPool pool, PooledConnection? connection, bool reusable)
    {
        if (connection is not null)
        {
            connection.LastUsed = _time.GetUtcNow();
            reusable = reusable && !_disposed && connection.Messages < _options.MaxMessagesPerConnection && connection.Client.IsConnected;
        }

        var toClose = new List<PooledConnection>(1);
        pool.Return(connection, reusable, toClose);
        CloseInBackground(toClose);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        var toClose = new List<PooledConnection>();
        foreach (var pool in _destinations.Values)
        {
            pool.Drain(toClose);
        }

        await Task.WhenAll(toClose.Select(c => c.CloseAsync(QuitTimeout))).ConfigureAwait(false);
    }

    private void Sweep()
    {
        var toClose = new List<PooledConnection>();
        var expiredBefore = _time.GetUtcNow() - _options.ConnectionIdleTimeout;
        foreach (var (name, pool) in _destinations)
        {
            if (pool.Sweep(expiredBefore, toClose))
            {
                _destinations.TryRemove(new KeyValuePair<string, DestinationPool>(name, pool));
            }
        }

        CloseInBackground(toClose);
    }

    private void CloseInBackground(List<PooledConnection> connections)
    {
        foreach (var connection in connections)
        {
            LogClosing(_logger, connection.Endpoint.ToString(), connection.Messages);
            _ = connection.CloseAsync(QuitTimeout);
        }
    }

    [LoggerMessage(2010, LogLevel.Debug, "SMTP session opened to {Endpoint}")]
    private static partial void LogOpened(ILogger logger, string endpoint);

    [LoggerMessage(2011, LogLevel.Debug, "SMTP session to {Endpoint} closed after {Messages} message(s)")]
    private static partial void LogClosing(ILogger logger, string endpoint, int messages);
}

/// <summary>A slot of a destination, with the idle session it came with (if any). Return it exactly once.</summary>
internal sealed class ConnectionLease(SmtpConnectionPool pool, DestinationPool destination, PooledConnection? idle)
{
    private int _returned;

    /// <summary>A reused session, or null: the holder opens a new one.</summary>
    public PooledConnection? Idle { get; } = idle;

    /// <summary>Hands back the session the holder ends up with (or none); only reusable ones are kept.</summary>
    public void Return(PooledConnection? connection, bool reusable)
    {
        if (Interlocked.Exchange(ref _returned, 1) == 0)
        {
            pool.Return(destination, connection, reusable);
        }
    }
}
