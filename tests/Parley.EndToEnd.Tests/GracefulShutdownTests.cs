using System.Text;
using System.Text.RegularExpressions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// SIGTERM to the real `parley serve` during an inbound burst (smtp-source into the listener) and an outbound burst
/// (to a slow smtp-sink) at once: the process exits within its --shutdown-timeout, open sessions are told 421 4.3.2,
/// and after a restart every message acknowledged with 250 is stored and routed, and every email reaches the sink
/// exactly once (in-flight deliveries finished and were recorded; the rest were released, not left under a lease).
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const string AliasDomain = "stop.parley.test";
    private const int Emails = 60;

    [Fact]
    public async Task Sigterm_mid_burst_loses_nothing_acknowledged_and_sends_nothing_twice()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-stop-" + Guid.NewGuid().ToString("N")[..8]);
        // 1 s before answering DATA: deliveries are in flight when the signal comes.
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { ExtraArguments = ["-w", "1"] });
        await using var dns = await DnsmasqPeer.StartAsync([], ["test"]);
        await ParleyProcess.CreateAdminAsync(dataDir);
        var env = new Dictionary<string, string> { ["Doctor__Schedule__Enabled"] = "false" };
        string[] serve = ["--shutdown-timeout", "20", "--dns", dns.Server];

        int httpPort, smtpPort;
        SmtpSourceResult load;
        long heldId;
        await using (var parley = await ParleyProcess.StartAsync(dataDir, environment: env, arguments: serve))
        {
            (httpPort, smtpPort) = (parley.HttpPort, parley.SmtpPort);
            using var api = await parley.ApiClientAsync();
            await api.UseAliasDomainAsync(AliasDomain);
            await api.AddRelayAsync(sink.Port, "slow");
            var ids = await api.ImportContactsAsync("Stop", Emails);
            Assert.Equal(Emails, ids.Count);

            var inbound = SmtpSourcePeer.RunAsync(parley.SmtpPort, new SmtpSourceOptions
            {
                Sessions = 10,
                Messages = 3000,
                MessageSize = 2048,
                From = "load@source.test",
                To = $"anyone@{AliasDomain}",
                Timeout = TimeSpan.FromSeconds(120),
                ExtraArguments = ["-v"],
            });
            await api.QueueEmailsAsync(ids, "Stop test");

            await sink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(30));
            await Eventually.UntilAsync(async () => inbound.IsCompleted || (await api.GetJsonAsync("/api/v1/inbound/stats")).GetProperty("received").GetInt32() >= 200,
                TimeSpan.FromSeconds(60), "200 messages of the inbound burst are received", every: TimeSpan.FromMilliseconds(50));

            // Two sessions of our own: one waiting for its next command, one in the middle of a DATA.
            using var idle = await SmtpDialogue.OpenAsync(parley.SmtpPort);
            using var data = await SmtpDialogue.OpenAsync(parley.SmtpPort);
            Assert.StartsWith("250 ", await data.SendAsync($"MAIL FROM:<held@sender.test>"));
            Assert.StartsWith("250 ", await data.SendAsync($"RCPT TO:<held@{AliasDomain}>"));
            Assert.StartsWith("354 ", await data.SendAsync("DATA"));
            await data.WriteAsync("From: held@sender.test\r\nSubject: Held across the stop\r\n\r\nFirst half,\r\n");

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            parley.SendSigterm();
            // The waiting session is told at once; a new command would get the same answer.
            Assert.StartsWith("421 4.3.2 ", await idle.ReadReplyAsync());
            // The DATA in progress is received and stored, then the session ends the same way.
            await data.WriteAsync("second half.\r\n.\r\n");
            var queued = await data.ReadReplyAsync();
            Assert.Matches(@"^250 2\.0\.0 Ok: queued as P\d+$", queued);
            heldId = long.Parse(queued[(queued.LastIndexOf('P') + 1)..]);
            Assert.StartsWith("421 4.3.2 ", await data.ReadReplyAsync());

            var exit = await parley.WaitForExitAsync(TimeSpan.FromSeconds(40));
            var took = stopwatch.Elapsed;
            load = await inbound;
            output.WriteLine($"exit {exit} after {took.TotalSeconds:F1} s; smtp-source counted {load.Acknowledged}; {sink.ReadMessages().Count} emails at the sink");
            output.WriteLine("smtp-source's last words:\n" + string.Join("\n", load.Errors.Split('\n').Where(l => !l.Contains(">>> ") && !l.Contains("<<< 2") && !l.Contains("<<< 3")).TakeLast(25)));
            Assert.Equal(0, exit);
            Assert.True(took < TimeSpan.FromSeconds(20 + 5), $"took {took.TotalSeconds:F1} s, over the 20 s bound");
            Assert.True(load.Acknowledged is > 0 and < 3000, $"the stop should land mid-stream (acknowledged {load.Acknowledged})");
            Assert.InRange(sink.ReadMessages().Count, 3, Emails - 1);
            Assert.Contains(parley.Output, l => l.Contains("Application is shutting down", StringComparison.Ordinal));
        }

        await using (var parley = await ParleyProcess.StartAsync(dataDir, environment: env, httpPort: httpPort, smtpPort: smtpPort, arguments: serve))
        {
            using var api = await parley.ApiClientAsync();
            var (outbox, inbound) = await Eventually.UntilAsync(
                async () => (Outbox: await api.GetJsonAsync("/api/v1/outbox/stats"), Inbound: await api.GetJsonAsync("/api/v1/inbound/stats")),
                s => s.Outbox.GetProperty("sent").GetInt32() == Emails && s.Inbound.GetProperty("pending").GetInt32() == 0,
                TimeSpan.FromSeconds(90), "after the restart every email is sent and every message routed", every: TimeSpan.FromMilliseconds(250));
            output.WriteLine($"after restart: outbox {outbox}; inbound {inbound}");
            Assert.Equal(Emails, outbox.GetProperty("sent").GetInt32());
            Assert.Equal(0, inbound.GetProperty("pending").GetInt32());
            Assert.Equal(0, inbound.GetProperty("failed").GetInt32());

            var acknowledged = Regex.Matches(load.Errors, @"<<< 250 2\.0\.0 Ok: queued as P(\d+)").Select(m => long.Parse(m.Groups[1].Value)).ToHashSet();
            Assert.True(acknowledged.Count > 0, "smtp-source's log shows no 250 after DATA");
            var stored = (await api.GetJsonAsync("/api/v1/inbound?take=5000")).EnumerateArray()
                .ToDictionary(i => i.GetProperty("id").GetInt64(), i => i.GetProperty("status").GetString());
            var lost = acknowledged.Where(id => !stored.ContainsKey(id)).Order().ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged messages are missing: P{string.Join(", P", lost.Take(20))}");
            Assert.All(acknowledged, id => Assert.Equal("unrouted", stored[id])); // routed by the catchall: kept, none pending
            Assert.Equal("unrouted", stored[heldId]);
            Assert.True(stored.Count < 1000, $"{stored.Count} stored: more than one page of the list; stop earlier");
        }

        var perRecipient = sink.ReadMessages().GroupBy(m => m.Recipients.Single()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Emails, perRecipient.Count);
        var twice = perRecipient.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        Assert.True(twice.Count == 0, $"sent more than once: {string.Join(", ", twice)}");
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_DATA_that_never_ends_is_cut_at_the_shutdown_timeout_and_the_process_exits()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-stop-" + Guid.NewGuid().ToString("N")[..8]);
        await using var parley = await ParleyProcess.StartAsync(dataDir, demo: true, environment: new Dictionary<string, string> { ["Doctor__Schedule__Enabled"] = "false" },
            arguments: ["--shutdown-timeout", "3"]);
        using (var api = await parley.ApiClientAsync())
        {
            await api.UseAliasDomainAsync(AliasDomain);
        }

        using var data = await SmtpDialogue.OpenAsync(parley.SmtpPort);
        Assert.StartsWith("250 ", await data.SendAsync("MAIL FROM:<slow@sender.test>"));
        Assert.StartsWith("250 ", await data.SendAsync($"RCPT TO:<anyone@{AliasDomain}>"));
        Assert.StartsWith("354 ", await data.SendAsync("DATA"));
        await data.WriteAsync("Subject: never ends\r\n\r\nstill typing");

        var (exit, took) = await parley.TerminateAsync(TimeSpan.FromSeconds(30));

        output.WriteLine($"exit {exit} after {took.TotalSeconds:F1} s");
        Assert.Equal(0, exit);
        Assert.InRange(took.TotalSeconds, 2.5, 3 + 4);
        // Cut, and told so: the sender keeps the message and tries again later.
        Assert.StartsWith("421 4.3.2 ", await data.ReadReplyAsync());
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }
}

/// <summary>A hand-driven SMTP session, for exact control of where it stands when the server stops.</summary>
internal sealed class SmtpDialogue : IDisposable
{
    private readonly System.Net.Sockets.TcpClient _client;
    private readonly StreamReader _reader;
    private readonly Stream _stream;

    private SmtpDialogue(System.Net.Sockets.TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _stream.ReadTimeout = 30_000;
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    public static async Task<SmtpDialogue> OpenAsync(int port)
    {
        var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var dialogue = new SmtpDialogue(client);
        Assert.StartsWith("220 ", await dialogue.ReadReplyAsync());
        Assert.StartsWith("250 ", await dialogue.SendAsync("EHLO dialogue.test"));
        return dialogue;
    }

    public async Task WriteAsync(string text)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    public async Task<string> SendAsync(string command)
    {
        await WriteAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>The last line of the next reply (multi-line replies continue with "250-").</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new IOException("The server closed the connection without a reply.");
            if (line.Length < 4 || line[3] != '-')
            {
                return line;
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
