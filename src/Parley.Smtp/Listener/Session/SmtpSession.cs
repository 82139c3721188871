using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Listener.Session;

/// <summary>
/// One SMTP conversation: reads command lines, runs them through <see cref="SmtpCommandTable"/>, and
/// enforces timeouts and limits. Handlers live in the other parts of this class.
/// </summary>
internal sealed partial class SmtpSession
{
    private static readonly TimeSpan FinalReplyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Marker instance returned by <see cref="ReadCommandLineAsync"/> for an over-long line.</summary>
    private static readonly string TooLongLine = new('\0', 1);

    /// <summary>Marker instance returned by <see cref="ReadCommandLineAsync"/> when the listener began to stop during the wait.</summary>
    private static readonly string ShutdownDuringWait = new('\0', 1);

    private readonly SmtpListenerOptions _options;
    private readonly IRecipientPolicy _recipientPolicy;
    private readonly IInboundMessageStore _store;
    private readonly ConnectionSlots _slots;
    private readonly SpoolMemoryBudget _spoolMemory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SslStreamCertificateContext? _tls;
    private readonly Socket _socket;
    private readonly IPEndPoint _client;
    private readonly List<string> _recipients = [];
    private SmtpTransport _transport = null!;
    private SessionState _state = SessionState.Connected;
    private string _helo = string.Empty;
    private bool _extended;
    private string _mailFrom = string.Empty;
    private bool _smtpUtf8;
    private int _errors;
    private int _messageCount;
    private bool _quit;
    private bool _waitingIdle;
    private CancellationToken _shutdown;

    /// <param name="tls">The STARTTLS certificate with its chain; null: STARTTLS is not offered.</param>
    public SmtpSession(
        Socket socket, SmtpListenerOptions options, SslStreamCertificateContext? tls, IRecipientPolicy recipientPolicy, IInboundMessageStore store,
        ConnectionSlots slots, SpoolMemoryBudget spoolMemory, TimeProvider timeProvider, ILogger logger)
    {
        _slots = slots;
        _spoolMemory = spoolMemory;
        _tls = tls;
        _socket = socket;
        _options = options;
        _recipientPolicy = recipientPolicy;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        _client = remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;
        Id = NewSessionId();
    }

    public string Id { get; }

    public IPEndPoint Client => _client;

    /// <summary>Runs the session to its end; never throws for anything the client does.</summary>
    /// <param name="shutdown">The listener is stopping: the next command is answered 421 4.3.2 and the session ends, but a
    /// command in progress (a DATA being received or stored) finishes first, so its reply is the real one.</param>
    /// <param name="abort">The host's shutdown time is up: whatever runs is cancelled, and the session ends with 421 4.3.2.</param>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken abort)
    {
        _shutdown = shutdown;
        using var sessionLifetime = new CancellationTokenSource(_options.MaxSessionTime, _timeProvider);
        using var link = abort.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), sessionLifetime);
        var cancellationToken = sessionLifetime.Token;
        _transport = new SmtpTransport(_socket, _timeProvider, cancellationToken);
        await using var transport = _transport.ConfigureAwait(false);
        Log.SessionStarted(_logger, Id, _client);
        try
        {
            _transport.Write(new SmtpReply(220, null, $"{_options.ServerName} ESMTP Parley"));
            while (!_quit)
            {
                if (shutdown.IsCancellationRequested)
                {
                    await CloseWithAsync(ShuttingDown).ConfigureAwait(false);
                    break;
                }

                var line = await ReadCommandLineAsync().ConfigureAwait(false);
                if (line is null)
                {
                    break; // client closed the connection
                }

                if (ReferenceEquals(line, ShutdownDuringWait))
                {
                    continue; // answered at the top of the loop
                }

                if (ReferenceEquals(line, TooLongLine))
                {
                    await ErrorAsync(SmtpReply.CommandLineTooLong).ConfigureAwait(false);
                }
                else
                {
                    await ExecuteAsync(line, cancellationToken).ConfigureAwait(false);
                }

                if (_errors >= _options.MaxErrors && !_quit)
                {
                    await CloseWithAsync(new SmtpReply(421, "4.7.0", $"{_options.ServerName} Error: too many errors")).ConfigureAwait(false);
                    break;
                }
            }

            if (_quit)
            {
                await _transport.FlushAsync(FinalReplyTimeout).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            await CloseWithAsync(ShuttingDown).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.SessionTimedOut(_logger, Id, "session time limit");
            await CloseWithAsync(new SmtpReply(421, "4.4.2", $"{_options.ServerName} Error: session time limit exceeded")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_waitingIdle)
        {
            Log.SessionTimedOut(_logger, Id, "idle before MAIL");
            await CloseWithAsync(new SmtpReply(421, "4.4.2", $"{_options.ServerName} Error: idle too long, closing connection")).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.SessionTimedOut(_logger, Id, _state.ToString());
            await CloseWithAsync(new SmtpReply(421, "4.4.2", $"{_options.ServerName} Error: timeout exceeded")).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Log.ConnectionLost(_logger, Id, ex.Message);
        }
        catch (Exception ex)
        {
            Log.SessionFailed(_logger, ex, Id);
            await CloseWithAsync(new SmtpReply(421, "4.3.0", $"{_options.ServerName} Error: internal server error")).ConfigureAwait(false);
        }

        Log.SessionEnded(_logger, Id, _messageCount);
    }

    private async ValueTask ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        var command = SmtpCommandLine.Parse(line);
        Log.CommandReceived(_logger, Id, command.Verb == "AUTH" ? "AUTH ***" : line);
        if (SmtpCommandTable.Rules.TryGetValue(command.Verb, out var rule))
        {
            if (Array.IndexOf(rule.AllowedIn, _state) < 0)
            {
                await ErrorAsync(SmtpCommandTable.SequenceError(command.Verb, _state)).ConfigureAwait(false);
                return;
            }

            await rule.Handler(this, command.Arguments, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ErrorAsync(SmtpCommandTable.NotImplemented.Contains(command.Verb)
            ? SmtpReply.NotImplemented
            : SmtpReply.CommandUnrecognized).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one command line (LF-terminated, CR optional). Returns null at end of input. A line over the
    /// limit is skipped without buffering it and reported as <see cref="TooLongLine"/>.
    /// </summary>
    private async ValueTask<string?> ReadCommandLineAsync()
    {
        var discarding = false;
        while (true)
        {
            ReadResult result;
            // Only a wait for a command gives way to the shutdown; a DATA being read is not interrupted.
            using (_shutdown.UnsafeRegister(static s => ((SmtpSession)s!)._transport.Reader.CancelPendingRead(), this))
            {
                result = await _transport.ReadAsync(CommandTimeout()).ConfigureAwait(false);
            }

            _waitingIdle = false;
            var buffer = result.Buffer;
            var lineFeed = buffer.PositionOf((byte)'\n');
            if (lineFeed is { } end)
            {
                var content = buffer.Slice(0, end);
                var line = discarding || content.Length + 1 > _options.MaxCommandLineLength ? TooLongLine : Decode(content);
                _transport.Reader.AdvanceTo(buffer.GetPosition(1, end)); // the buffer is invalid from here on
                return line;
            }

            if (result.IsCanceled && _shutdown.IsCancellationRequested)
            {
                _transport.Reader.AdvanceTo(buffer.Start, buffer.End);
                return ShutdownDuringWait;
            }

            if (buffer.Length >= _options.MaxCommandLineLength)
            {
                discarding = true;
                _transport.Reader.AdvanceTo(buffer.End);
            }
            else
            {
                _transport.Reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The wait for the next command: the full <see cref="SmtpListenerOptions.CommandTimeout"/> inside a transaction,
    /// the idle timeout before MAIL (shorter still while the listener is busy), so idle clients give their slot back.
    /// </summary>
    private TimeSpan CommandTimeout()
    {
        if (_state is SessionState.MailGiven or SessionState.RecipientGiven)
        {
            return _options.CommandTimeout;
        }

        var idle = _slots.IsBusy ? _options.IdleTimeoutBeforeMailWhenBusy : _options.IdleTimeoutBeforeMail;
        _waitingIdle = idle < _options.CommandTimeout;
        return _waitingIdle ? idle : _options.CommandTimeout;
    }

    private static string Decode(ReadOnlySequence<byte> content)
    {
        if (content.Length > 0)
        {
            Span<byte> last = stackalloc byte[1];
            content.Slice(content.Length - 1).CopyTo(last);
            if (last[0] == (byte)'\r')
            {
                content = content.Slice(0, content.Length - 1);
            }
        }

        // Invalid UTF-8 becomes U+FFFD, which the address checks refuse.
        return Encoding.UTF8.GetString(content);
    }

    private SmtpReply ShuttingDown => new(421, "4.3.2", $"{_options.ServerName} Service shutting down");

    internal ValueTask ReplyAsync(SmtpReply reply)
    {
        Log.ReplySent(_logger, Id, reply.Code, reply.EnhancedCode, reply.Text);
        _transport.Write(reply);
        return ValueTask.CompletedTask;
    }

    /// <summary>A reply that counts towards <see cref="SmtpListenerOptions.MaxErrors"/>.</summary>
    internal ValueTask ErrorAsync(SmtpReply reply)
    {
        _errors++;
        return ReplyAsync(reply);
    }

    /// <summary>Best effort last words before closing: the client may be gone or not reading.</summary>
    private async ValueTask CloseWithAsync(SmtpReply reply)
    {
        try
        {
            Log.ReplySent(_logger, Id, reply.Code, reply.EnhancedCode, reply.Text);
            _transport.Write(reply);
            using var timeout = new CancellationTokenSource(FinalReplyTimeout);
            await _transport.Writer.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex) || ex is OperationCanceledException or InvalidOperationException)
        {
            Log.ConnectionLost(_logger, Id, ex.Message);
        }
    }

    private void ResetTransaction()
    {
        _mailFrom = string.Empty;
        _recipients.Clear();
        _smtpUtf8 = false;
        if (_state is SessionState.MailGiven or SessionState.RecipientGiven)
        {
            _state = SessionState.Greeted;
        }
    }

    private SmtpSessionInfo Snapshot() =>
        new(Id, _client.Address, _client.Port, _helo, _transport.IsTls, _mailFrom, _recipients.ToArray());

    private static bool IsConnectionFailure(Exception ex) =>
        ex is IOException or SocketException or AuthenticationException or ObjectDisposedException
        || ex.InnerException is SocketException;

    private static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[6];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexString(bytes);
    }
}
