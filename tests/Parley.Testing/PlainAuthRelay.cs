using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// A relay on 127.0.0.1 that offers AUTH without STARTTLS and keeps every byte a client sent, so a test can say what
/// crossed the wire. None of the Debian peers does both: smtp-sink has no raw capture and real MTAs hide AUTH until TLS.
/// It accepts any login and any message; one session at a time is enough for a test. Use smtp-sink for everything else.
/// </summary>
public sealed class PlainAuthRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly MemoryStream _received = new();

    private PlainAuthRelay(TcpListener listener)
    {
        _listener = listener;
        _loop = Task.Run(() => AcceptAsync(_stop.Token));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Sessions { get; private set; }

    public static PlainAuthRelay Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new PlainAuthRelay(listener);
    }

    /// <summary>Everything clients sent so far, as text.</summary>
    public string Received
    {
        get
        {
            lock (_received)
            {
                return Encoding.UTF8.GetString(_received.ToArray());
            }
        }
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Sessions++;
            using (client)
            {
                try
                {
                    await ServeAsync(client.GetStream(), cancellationToken);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // The client hung up: the next session may still come.
                }
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var reader = new StreamReader(new Recording(stream, _received), Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 relay.example.com ESMTP test relay");
        var inData = false;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (inData)
            {
                if (line == ".")
                {
                    inData = false;
                    await writer.WriteLineAsync("250 2.0.0 Ok: queued");
                }
                continue;
            }
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-relay.example.com\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
                    break;
                case "AUTH":
                    // PLAIN with the credentials on the line, or a dialogue (PLAIN: one answer; LOGIN: user, then password).
                    var parts = line.Split(' ');
                    var answers = parts.Length > 2 ? 0 : parts[1].Equals("LOGIN", StringComparison.OrdinalIgnoreCase) ? 2 : 1;
                    for (var i = 0; i < answers; i++)
                    {
                        await writer.WriteLineAsync("334 ");
                        await reader.ReadLineAsync(timeout.Token);
                    }
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "DATA":
                    inData = true;
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 2.0.0 Ok");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>Copies what is read into the capture before the SMTP reader sees it.</summary>
    private sealed class Recording(Stream inner, MemoryStream capture) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Keep(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Keep(buffer.Span[..read]);
        }

        private int Keep(ReadOnlySpan<byte> bytes)
        {
            lock (capture)
            {
                capture.Write(bytes);
            }

            return bytes.Length;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
