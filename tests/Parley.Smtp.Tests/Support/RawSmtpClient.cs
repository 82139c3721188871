using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Smtp.Tests.Support;

/// <summary>One SMTP reply as read off the wire.</summary>
public sealed record RawReply(int Code, IReadOnlyList<string> Lines)
{
    public string Text => string.Join("\n", Lines);

    public override string ToString() => Text;
}

/// <summary>
/// A byte-exact SMTP client over a raw socket, for what real clients refuse to send (smuggling, bad
/// sequences, pipelined bursts). Writes the transcript to the test output.
/// </summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly ITestOutputHelper _output;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly StringBuilder _pending = new();

    private RawSmtpClient(Socket socket, ITestOutputHelper output)
    {
        _socket = socket;
        _output = output;
    }

    /// <param name="from">The local address to connect from (e.g. 127.0.0.2, another loopback client); 127.0.0.1 when null.</param>
    /// <param name="to">The server's address; 127.0.0.1 when null.</param>
    public static async Task<RawSmtpClient> ConnectAsync(int port, ITestOutputHelper output, IPAddress? from = null, IPAddress? to = null)
    {
        to ??= IPAddress.Loopback;
        var socket = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(to, port));
        return new RawSmtpClient(socket, output);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] data)
    {
        Log(" -> " + Printable(Encoding.UTF8.GetString(data)));
        await _socket.SendAsync(data, SocketFlags.None);
    }

    /// <summary>Sends a command and returns its reply.</summary>
    public async Task<RawReply> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>Reads one (possibly multi-line) reply; fails the test when none comes within the timeout.</summary>
    public async Task<RawReply> ReadReplyAsync(TimeSpan? timeout = null)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeout ?? ReadTimeout) ?? throw new IOException("Connection closed while waiting for a reply.");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                var code = int.Parse(line.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
                return new RawReply(code, lines);
            }
        }
    }

    /// <summary>True when the server closed the connection (nothing more to read) within the timeout.</summary>
    public async Task<bool> IsClosedAsync(TimeSpan timeout)
    {
        try
        {
            var line = await ReadLineAsync(timeout);
            if (line is not null)
            {
                Log("unexpected: " + line);
            }

            return line is null;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Checks that no reply arrives within <paramref name="wait"/> (no smuggled command was answered).</summary>
    public async Task AssertNoReplyAsync(TimeSpan wait)
    {
        try
        {
            var line = await ReadLineAsync(wait);
            Assert.Fail($"Unexpected reply: {line}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                Log("<-  " + text[..end]);
                return text[..end];
            }

            using var cts = new CancellationTokenSource(timeout);
            var read = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
            if (read == 0)
            {
                Log("=== connection closed by server");
                return null;
            }

            _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
    }

    private void Log(string line)
    {
        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string Printable(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
