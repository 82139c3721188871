using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Parley.Cli;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The real `parley mailgate` process with a message piped to its stdin, as a Postfix aliases entry runs it,
/// against a running Parley (or none, or one answering 503): the exit code is what the MTA acts on.
/// </summary>
public sealed class MailgateProcessTests(ITestOutputHelper output) : ParleyPerTest(AliasDomain)
{
    private const string AliasDomain = "gate.parley.test";

    private string Token => Parley.Api.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>Runs the real `parley mailgate` as the README's aliases line does: the token in a file of its own.</summary>
    private async Task<(int Exit, string Stderr)> MailgateAsync(byte[] message, string? url = null, string? tokenFile = null)
    {
        var file = tokenFile ?? Path.Combine(Path.GetTempPath(), "parley-mailgate-" + Guid.NewGuid().ToString("N")[..8] + ".token");
        if (tokenFile is null)
        {
            await File.WriteAllTextAsync(file, Token + "\n");
        }

        try
        {
            var (exit, stdout, stderr) = await ParleyCli.RunAsync(message, "mailgate", "--url", url ?? Parley.BaseUrl.ToString(), "--token-file", file, "--timeout", "30");
            output.WriteLine($"mailgate → {exit}\n{stdout}{stderr}");
            return (exit, stderr);
        }
        finally
        {
            if (tokenFile is null)
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task A_token_file_that_cannot_be_read_exits_75_and_names_the_file()
    {
        var (exit, stderr) = await MailgateAsync("From: a@newco.test\r\nSubject: x\r\n\r\nx\r\n"u8.ToArray(), tokenFile: "/nonexistent/parley.token");
        Assert.Equal(MailgateCommand.TempFail, exit);
        Assert.Contains("/nonexistent/parley.token", stderr);
        Assert.Equal(0, (await Parley.GetAsync("/api/v1/inbound/stats")).GetProperty("received").GetInt32());
    }

    [Fact]
    public async Task An_aliases_pipe_without_recipient_is_routed_to_the_alias_of_the_topmost_Delivered_To()
    {
        await Parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });
        await Parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "sales", contactPolicy = "everyone" });
        // As Postfix's local(8) pipes it: its delivery headers on top, an older hop's Delivered-To further down.
        var message = Encoding.UTF8.GetBytes(
            $"X-Original-To: support@{AliasDomain}\r\nDelivered-To: support@{AliasDomain}\r\nReceived: from mx.newco.test\r\n"
            + $"Delivered-To: sales@{AliasDomain}\r\nFrom: Bruno <bruno@newco.test>\r\nTo: help@company.test\r\nSubject: Piped help\r\n"
            + "Message-ID: <piped1@newco.test>\r\n\r\nPlease help.\r\n");

        var (exit, stderr) = await MailgateAsync(message);

        Assert.Equal(MailgateCommand.Ok, exit);
        Assert.Equal("", stderr);
        await Parley.WaitForInboundStatsAsync(s => s.GetProperty("routed").GetInt32() == 1, "the piped message is routed", TimeSpan.FromSeconds(30));
        var routed = (await Parley.GetAsync("/api/v1/inbound?status=routed"))[0];
        Assert.Equal("mailgate", routed.GetProperty("source").GetString());
        // Only the delivery headers Postfix put on top count: a lower one could have been written by the sender.
        Assert.Equal($"support@{AliasDomain}", routed.GetProperty("recipients").GetString());
        Assert.StartsWith("Alias support@:", routed.GetProperty("route").GetString());
    }

    [Fact]
    public async Task An_unreachable_server_exits_75_and_says_the_mail_server_will_retry()
    {
        var (exit, stderr) = await MailgateAsync("From: a@newco.test\r\nSubject: x\r\n\r\nx\r\n"u8.ToArray(), $"http://127.0.0.1:{FreePort.Get()}");
        Assert.Equal(MailgateCommand.TempFail, exit);
        Assert.Contains("could not be reached", stderr);
        Assert.Contains("the mail server will try again later", stderr);
    }

    [Fact]
    public async Task A_server_answering_503_exits_75()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = AnswerOnce503Async(listener);
        var (exit, stderr) = await MailgateAsync("From: a@newco.test\r\nSubject: x\r\n\r\nx\r\n"u8.ToArray(), $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        await answering;
        Assert.Equal(MailgateCommand.TempFail, exit);
        Assert.Contains("Parley answered 503 (The message could not be stored right now; try again later.)", stderr);
        Assert.Contains("the mail server will try again later", stderr);
    }

    /// <summary>A Parley whose database is failing, as far as mailgate can tell: the raw endpoint's 503 answer.</summary>
    private static async Task AnswerOnce503Async(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var stream = client.GetStream();
        var request = new StringBuilder();
        var chunk = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n"))
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                return;
            }

            request.Append(Encoding.ASCII.GetString(chunk, 0, read));
        }
        Assert.StartsWith("POST /api/v1/inbound/raw ", request.ToString());
        var body = """{"title":"Not stored","status":503,"detail":"The message could not be stored right now; try again later."}""";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
    }

    [Fact]
    public async Task A_message_over_Kestrels_default_30_MB_is_stored_and_one_over_50_MB_exits_65_saying_it_is_too_large()
    {
        var (bigExit, bigErrors) = await MailgateAsync(Message(32 * 1024 * 1024));
        Assert.Equal(MailgateCommand.Ok, bigExit);
        Assert.Equal("", bigErrors);

        var (exit, stderr) = await MailgateAsync(Message(50 * 1024 * 1024 + 1));
        Assert.Equal(MailgateCommand.DataError, exit);
        Assert.Contains("Parley answered 413 (Messages up to 50 MB are accepted.)", stderr);
        Assert.Contains("the message (50.0 MB) is too large; it was not stored and the mail server will return it to its sender", stderr);

        var stats = await Parley.WaitForInboundStatsAsync(s => s.GetProperty("pending").GetInt32() == 0, "the stored message is routed", TimeSpan.FromSeconds(30));
        Assert.Equal(1, stats.GetProperty("received").GetInt32());
    }

    /// <summary>A plain message of exactly <paramref name="size"/> bytes: headers, then lines of text.</summary>
    private static byte[] Message(int size)
    {
        var bytes = new byte[size];
        var head = Encoding.ASCII.GetBytes("From: bruno@newco.test\r\nTo: help@company.test\r\nSubject: big\r\n\r\n");
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < size; i++)
        {
            bytes[i] = ((i - head.Length) % 78) switch { 76 => (byte)'\r', 77 => (byte)'\n', _ => (byte)'a' };
        }

        return bytes;
    }
}
