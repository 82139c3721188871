using System.Net.Sockets;
using System.Text;

namespace Parley.Tests.Fixtures;

/// <summary>
/// One SMTP session over a plain socket, opened up to MAIL FROM, so each reply is seen exactly as a client sees it and
/// a message's bytes are exactly those given.
/// </summary>
public sealed class SmtpConversation : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private SmtpConversation(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>Every line of the EHLO reply.</summary>
    public IReadOnlyList<string> Ehlo { get; private set; } = [];

    public static async Task<SmtpConversation> OpenAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var smtp = new SmtpConversation(tcp);
        Assert.StartsWith("220 ", await smtp.ReadReplyAsync());
        await smtp.SendAsync("EHLO client.test\r\n");
        smtp.Ehlo = await smtp.ReadReplyLinesAsync();
        Assert.StartsWith("250 ", smtp.Ehlo[^1]);
        Assert.Equal("250 2.1.0 Ok", await smtp.CommandAsync("MAIL FROM:<ana@customer.test>"));
        return smtp;
    }

    public Task<string> RcptAsync(string address) => CommandAsync($"RCPT TO:<{address}>");

    /// <summary>DATA, then <paramref name="content"/> (which ends with CRLF and has no line starting with a dot) and the end mark; the reply to it.</summary>
    public async Task<string> DataAsync(byte[] content)
    {
        Assert.StartsWith("354 ", await CommandAsync("DATA"));
        await _stream.WriteAsync(content);
        await SendAsync(".\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>The last line of the reply to <paramref name="command"/>.</summary>
    public async Task<string> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CommandAsync("QUIT");
        _tcp.Dispose();
    }

    private async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>The last line of a reply (the one without "-" after the code).</summary>
    private async Task<string> ReadReplyAsync() => (await ReadReplyLinesAsync())[^1];

    private async Task<IReadOnlyList<string>> ReadReplyLinesAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException("The server closed the connection.");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                return lines;
            }
        }
    }
}
