using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Listener.Session;

/// <summary>
/// The byte pipes of one connection, plain or TLS, with an inactivity timeout on every wait for the client.
/// </summary>
internal sealed class SmtpTransport : IAsyncDisposable
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly CancellationTokenSource _ioTimeout;
    private readonly CancellationTokenRegistration _sessionLink;
    private SslStream? _tls;

    public SmtpTransport(Socket socket, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        (Reader, Writer) = CreatePipes(_network);
        // One timer source reused for every read and flush; the session token (shutdown, session time) cancels it too.
        _ioTimeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _sessionLink = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _ioTimeout);
    }

    public PipeReader Reader { get; private set; }

    public PipeWriter Writer { get; private set; }

    public bool IsTls => _tls is not null;

    public SslProtocols TlsProtocol => _tls?.SslProtocol ?? SslProtocols.None;

    /// <summary>Returns buffered input without waiting, or flushes pending replies and waits up to <paramref name="timeout"/>.</summary>
    /// <exception cref="OperationCanceledException">The client stayed silent too long, or the session was cancelled.</exception>
    public async ValueTask<ReadResult> ReadAsync(TimeSpan timeout)
    {
        // Pipelined commands already in the buffer are answered together, in order, with one flush (RFC 2920).
        if (Reader.TryRead(out var buffered))
        {
            return buffered;
        }

        await FlushAsync(timeout).ConfigureAwait(false);
        _ioTimeout.CancelAfter(timeout);
        var result = await Reader.ReadAsync(_ioTimeout.Token).ConfigureAwait(false);
        ResetTimeout();
        return result;
    }

    public void Write(SmtpReply reply) => reply.WriteTo(Writer);

    public async ValueTask FlushAsync(TimeSpan timeout)
    {
        _ioTimeout.CancelAfter(timeout);
        await Writer.FlushAsync(_ioTimeout.Token).ConfigureAwait(false);
        ResetTimeout();
    }

    /// <summary>
    /// Switches to TLS after "220 Ready to start TLS". Input the client pipelined after STARTTLS was read in
    /// plaintext and is dropped, so it cannot be injected into the TLS session (CVE-2011-0411).
    /// </summary>
    public async ValueTask StartTlsAsync(SslStreamCertificateContext certificate, TimeSpan timeout)
    {
        await FlushAsync(timeout).ConfigureAwait(false);
        if (Reader.TryRead(out var leftover))
        {
            Reader.AdvanceTo(leftover.Buffer.End);
        }

        await Reader.CompleteAsync().ConfigureAwait(false);
        await Writer.CompleteAsync().ConfigureAwait(false);

        _tls = new SslStream(_network, leaveInnerStreamOpen: true);
        _ioTimeout.CancelAfter(timeout);
        await _tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            },
            _ioTimeout.Token).ConfigureAwait(false);
        ResetTimeout();
        (Reader, Writer) = CreatePipes(_tls);
    }

    public async ValueTask DisposeAsync()
    {
        await _sessionLink.DisposeAsync().ConfigureAwait(false);
        await Reader.CompleteAsync().ConfigureAwait(false);
        await Writer.CompleteAsync().ConfigureAwait(false);
        if (_tls is not null)
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer may already be gone; closing is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }

        await _network.DisposeAsync().ConfigureAwait(false);
        _ioTimeout.Dispose();
    }

    private void ResetTimeout()
    {
        // TryReset fails only when the timer already fired; the caller's next wait then throws at once.
        _ioTimeout.TryReset();
    }

    private static (PipeReader, PipeWriter) CreatePipes(Stream stream) =>
        (PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true)),
         PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
}
