using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Smtp.Listener.Protocol;
using Parley.Smtp.Listener.Session;

namespace Parley.Smtp.Listener;

/// <summary>
/// The inbound SMTP server: accepts connections, enforces connection limits and runs one
/// session per connection. Messages go to <see cref="IInboundMessageStore"/>, recipients are
/// checked by <see cref="IRecipientPolicy"/>.
/// </summary>
public sealed class SmtpListener : IAsyncDisposable
{
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

    private readonly SmtpListenerOptions _options;
    private readonly IRecipientPolicy _recipientPolicy;
    private readonly IInboundMessageStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly SslStreamCertificateContext? _tls;
    private readonly ConnectionSlots _slots;
    private readonly SpoolMemoryBudget _spoolMemory;
    private readonly ListenerMetrics _metrics;
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private Socket? _socket;
    private Task? _acceptLoop;

    public SmtpListener(
        IOptions<SmtpListenerOptions> options,
        IRecipientPolicy recipientPolicy,
        IInboundMessageStore store,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        ListenerMetrics? metrics = null)
    {
        _metrics = metrics ?? new ListenerMetrics();
        _options = options.Value;
        _slots = new ConnectionSlots(_options);
        _spoolMemory = new SpoolMemoryBudget(_options.MaxSpoolMemory);
        _recipientPolicy = recipientPolicy;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<SmtpListener>();
        _sessionLogger = loggerFactory.CreateLogger("Parley.Smtp.Listener.SmtpSession");
        // Built once (it resolves the chain): offline, so the chain is what was given and no handshake downloads anything.
        _tls = _options.Certificate is { } certificate ? SslStreamCertificateContext.Create(certificate, _options.CertificateChain, offline: true) : null;
    }

    /// <summary>The bound address, once started.</summary>
    public EndPoint? EndPoint => _socket?.LocalEndPoint;

    /// <summary>The bound port, once started (useful when <see cref="SmtpListenerOptions.Port"/> is 0).</summary>
    public int Port => (EndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>Bound and accepting connections: started, and not stopping.</summary>
    public bool IsAccepting => _socket is not null && !_stopping.IsCancellationRequested;

    /// <summary>Memory the sessions hold for arriving messages, within <see cref="SmtpListenerOptions.MaxSpoolMemory"/>.</summary>
    internal SpoolMemoryBudget SpoolMemory => _spoolMemory;

    /// <summary>Binds and starts accepting; returns once the socket listens.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The SMTP listener is already started.");
        }

        if (_options.SpoolDirectory is { } spool)
        {
            PrepareSpoolDirectory(spool);
        }

        var address = IPAddress.TryParse(_options.Host, out var parsed)
            ? parsed
            : (await Dns.GetHostAddressesAsync(_options.Host, cancellationToken).ConfigureAwait(false))
                .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, _options.Port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        Log.ListenerStarted(_logger, socket.LocalEndPoint!);
        _acceptLoop = Task.Run(() => AcceptLoopAsync(socket, _stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Stops accepting and lets open sessions end: each answers its next command 421 4.3.2, a DATA in progress is
    /// received and stored first. When <paramref name="cancellationToken"/> fires (the host's shutdown time is up) what still runs is
    /// cancelled and told 421.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_socket is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        var endPoint = _socket.LocalEndPoint!;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop!.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_sessions.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown budget is spent: cancel, and give the sessions a moment to say 421.
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(Task.WhenAll(_sessions.Keys), Task.Delay(AbortGrace, _timeProvider, CancellationToken.None)).ConfigureAwait(false);
        }

        Log.ListenerStopped(_logger, endPoint);
    }

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(DisposeGrace);
        await StopAsync(grace.Token).ConfigureAwait(false);
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. out of file descriptors: back off instead of spinning.
                Log.AcceptFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            client.NoDelay = true;
            var session = Task.Run(() => RunConnectionAsync(client, cancellationToken, _abort.Token), CancellationToken.None);
            _sessions.TryAdd(session, 0);
            _ = session.ContinueWith(static (t, s) => ((ConcurrentDictionary<Task, byte>)s!).TryRemove(t, out _), _sessions, TaskScheduler.Default);
        }
    }

    private async Task RunConnectionAsync(Socket client, CancellationToken cancellationToken, CancellationToken abort)
    {
        var remote = ((IPEndPoint)client.RemoteEndPoint!).Address;
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        if (_slots.Acquire(address) is { } reason)
        {
            Log.ConnectionRefused(_logger, address, reason);
            _metrics.Refused(reason == ConnectionSlots.TooManyFromAddress ? "per_address_limit" : "connection_limit");
            await RefuseAsync(client, $"421 4.7.0 {_options.ServerName} Error: {reason}\r\n").ConfigureAwait(false);
            return;
        }

        _metrics.Opened();
        try
        {
            var tls = _tls is null ? null : _options.CertificateSource?.Invoke() ?? _tls;
            var session = new SmtpSession(client, _options, tls, _recipientPolicy, _store, _slots, _spoolMemory, _timeProvider, _sessionLogger);
            await session.RunAsync(cancellationToken, abort).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // SmtpSession handles client behaviour itself; this is a bug, and must not take the listener down.
            Log.SessionFailed(_sessionLogger, ex, "?");
        }
        finally
        {
            _metrics.Closed();
            _slots.Release(address);
        }
    }

    /// <summary>Makes the spool directory Parley's alone, and removes the spool files a crash left (each one an unanswered DATA).</summary>
    private void PrepareSpoolDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(directory, ownerOnly);
            if (File.GetUnixFileMode(directory) != ownerOnly)
            {
                File.SetUnixFileMode(directory, ownerOnly);
            }
        }

        var leftovers = 0;
        foreach (var file in Directory.EnumerateFiles(directory, $"{MessageSpool.FilePrefix}*{MessageSpool.FileSuffix}"))
        {
            File.Delete(file);
            leftovers++;
        }

        if (leftovers > 0)
        {
            Log.SpoolLeftoversRemoved(_logger, leftovers, directory);
        }
    }

    private static async Task RefuseAsync(Socket client, string reply)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.SendAsync(Encoding.ASCII.GetBytes(reply), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Already gone; nothing to tell.
            }
        }
    }
}
