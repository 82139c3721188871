using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Parley.Cli;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The inbound gateway through a whole Parley with real peers: swaks to an alias, stats and unrouted lists,
/// assigning, suppressions, catchall "reject" at RCPT time, `parley mailgate` exit codes, smuggling and relay refusals.
/// </summary>
public sealed class InboundGatewayEndToEndTests(ITestOutputHelper output) : ParleyPerTest(AliasDomain)
{
    private const string AliasDomain = "in.parley.test";

    private async Task<SwaksResult> SendAsync(string to, string from = "bruno@newco.test", string? data = null, string? quitAfter = null)
    {
        var result = await Swaks.SendAsync(new SwaksOptions { Port = Parley.SmtpPort, From = from, To = [to], Data = data, QuitAfter = quitAfter });
        output.WriteLine(result.Transcript);
        return result;
    }

    [Fact]
    public async Task Mail_to_an_alias_starts_a_contact_thread_with_authentication_results()
    {
        await Parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });
        var swaks = await SendAsync("support@" + AliasDomain, data: "From: Bruno <bruno@newco.test>\nTo: support@in.parley.test\nSubject: Help\nMessage-ID: <help1@newco.test>\n\nPlease help.\n");
        Assert.Equal(0, swaks.ExitCode);
        await Parley.WaitForInboundStatsAsync(s => s.GetProperty("routed").GetInt32() == 1, "the mail to support@ is routed");
        var contacts = await Parley.GetAsync("/api/v1/contacts?q=bruno");
        output.WriteLine(contacts.ToString());
        var contactId = (contacts.ValueKind == JsonValueKind.Array ? contacts[0] : contacts.GetProperty("items")[0]).GetProperty("id").GetInt64();
        var message = await Parley.WaitForMessageAsync($"/api/v1/records/contact/{contactId}", m => m.GetProperty("subject").GetString() == "Help");
        Assert.Equal("in", message.GetProperty("direction").GetString());
        var listed = await Parley.GetAsync("/api/v1/inbound?status=routed");
        Assert.StartsWith(AliasDomain + "; spf=", listed[0].GetProperty("authenticationResults").GetString());
    }

    [Fact]
    public async Task Unrouted_mail_is_listed_and_an_admin_assigns_it()
    {
        var contact = await Parley.AddContactAsync("Ana Lima", "ana@customer.test");
        Assert.Equal(0, (await SendAsync("nobody@" + AliasDomain)).ExitCode);
        await Parley.WaitForInboundStatsAsync(s => s.GetProperty("unrouted").GetInt32() == 1, "the mail to nobody@ is listed as unrouted");
        var unrouted = await Parley.GetAsync("/api/v1/inbound/unrouted");
        var id = unrouted[0].GetProperty("id").GetInt64();
        await Parley.PostAsync($"/api/v1/inbound/{id}/assign", new { recordType = "contact", recordId = contact });
        var stats = await Parley.GetAsync("/api/v1/inbound/stats");
        Assert.Equal((1, 1, 0, 0, 0), (stats.GetProperty("received").GetInt32(), stats.GetProperty("routed").GetInt32(),
            stats.GetProperty("unrouted").GetInt32(), stats.GetProperty("bounces").GetInt32(), stats.GetProperty("failed").GetInt32()));
        await Parley.WaitForMessageAsync($"/api/v1/records/contact/{contact}", m => m.GetProperty("direction").GetString() == "in");
    }

    [Fact]
    public async Task Suppressed_addresses_cannot_be_emailed_until_removed()
    {
        var contact = await Parley.AddContactAsync("Zed", "zed@customer.test");
        await Parley.PostAsync("/api/v1/suppressions", new { address = "zed@customer.test", reason = "asked us to stop" });
        Assert.Equal("zed@customer.test", (await Parley.GetAsync("/api/v1/suppressions"))[0].GetProperty("address").GetString());
        using var refused = await Parley.Api.PostAsync($"/api/v1/records/contact/{contact}/messages",
            new StringContent("""{"kind":"email","subject":"Hi","body":"Hello"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("suppression list", await refused.Content.ReadAsStringAsync());
        using var removed = await Parley.Api.DeleteAsync("/api/v1/suppressions/zed@customer.test");
        Assert.Equal(204, (int)removed.StatusCode);
        await Parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", subject = "Hi", body = "Hello" });
    }

    [Fact]
    public async Task The_reject_catchall_refuses_unknown_addresses_at_RCPT_but_not_aliases_and_never_relays()
    {
        await Parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "sales" });
        await Parley.PutAsync("/api/v1/inbound/settings", new { catchall = "reject" });
        // The RCPT policy caches the rules for up to 10 s.
        await Eventually.UntilAsync(() => SendAsync("nobody@" + AliasDomain, quitAfter: "RCPT"), r => r.Transcript.Contains("550 5.1.1"),
            TimeSpan.FromSeconds(20), "RCPT to an unknown address is refused with 550 5.1.1", every: TimeSpan.FromMilliseconds(500));
        var alias = await SendAsync("sales@" + AliasDomain, quitAfter: "RCPT");
        Assert.Contains("<-  250", alias.Transcript);
        var relay = await SendAsync("someone@elsewhere.test", quitAfter: "RCPT");
        Assert.Contains("550 5.7.1", relay.Transcript);
    }

    [Fact]
    public async Task Mailgate_stores_a_message_and_answers_with_sysexits_codes()
    {
        var token = Parley.Api.DefaultRequestHeaders.Authorization!.Parameter!;
        var message = Encoding.UTF8.GetBytes("From: ana@customer.test\r\nTo: x@in.parley.test\r\nSubject: via pipe\r\nMessage-ID: <gate1@customer.test>\r\n\r\nHello\r\n");
        var errors = new StringWriter();
        Assert.Equal(MailgateCommand.Ok, await MailgateCommand.RunAsync(new MemoryStream(message), Parley.BaseUrl.ToString(), token, "ana@customer.test", "x@in.parley.test", TimeSpan.FromSeconds(10), errors, default));
        var stats = await Parley.WaitForInboundStatsAsync(s => s.GetProperty("received").GetInt32() == 1 && s.GetProperty("pending").GetInt32() == 0,
            "the piped message is stored and routed");
        Assert.Equal(1, stats.GetProperty("unrouted").GetInt32());
        Assert.Equal("mailgate", (await Parley.GetAsync("/api/v1/inbound"))[0].GetProperty("source").GetString());

        Assert.Equal(MailgateCommand.DataError, await MailgateCommand.RunAsync(new MemoryStream(), Parley.BaseUrl.ToString(), token, null, null, TimeSpan.FromSeconds(10), errors, default));
        Assert.Equal(MailgateCommand.NoPermission, await MailgateCommand.RunAsync(new MemoryStream(message), Parley.BaseUrl.ToString(), "wrong", null, null, TimeSpan.FromSeconds(10), errors, default));
        var closed = FreePort.Get();
        Assert.Equal(MailgateCommand.TempFail, await MailgateCommand.RunAsync(new MemoryStream(message), $"http://127.0.0.1:{closed}", token, null, null, TimeSpan.FromSeconds(5), errors, default));
        output.WriteLine(errors.ToString());
        Assert.Contains("could not be reached", errors.ToString());
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\r.\r\n")]
    public async Task Smuggled_end_of_data_never_starts_a_second_message(string sequence)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Parley.SmtpPort);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> Reply()
        {
            var text = new StringBuilder();
            string? line;
            do { line = await reader.ReadLineAsync(); text.AppendLine(line); } while (line is { Length: > 3 } && line[3] == '-');
            return text.ToString();
        }
        async Task Send(string s) => await stream.WriteAsync(Encoding.ASCII.GetBytes(s));
        await Reply();
        await Send("EHLO client.test\r\n"); await Reply();
        await Send("MAIL FROM:<a@customer.test>\r\n"); await Reply();
        await Send("RCPT TO:<x@in.parley.test>\r\n"); await Reply();
        await Send("DATA\r\n"); await Reply();
        await Send("Subject: one\r\n\r\nbody" + sequence + "MAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@in.parley.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n");
        var answer = await Reply();
        output.WriteLine(answer);
        Assert.StartsWith("550", answer);
        // Whatever the listener made of the rest, it has answered all of it once QUIT is answered (or it hung up).
        await Send("QUIT\r\n");
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var line = await reader.ReadLineAsync(drained.Token); line is not null; line = await reader.ReadLineAsync(drained.Token))
        {
            output.WriteLine(line);
            if (line.StartsWith("221", StringComparison.Ordinal))
            {
                break;
            }
        }

        // A barrier: a later, clean message must be stored and routed; then nothing else may have been stored.
        var barrier = await SendAsync("x@" + AliasDomain, from: "later@customer.test",
            data: "From: later@customer.test\nTo: x@in.parley.test\nSubject: later\nMessage-ID: <later@customer.test>\n\nA clean message.\n");
        Assert.Equal(0, barrier.ExitCode);
        await Parley.WaitForInboundStatsAsync(s => s.GetProperty("received").GetInt32() >= 1 && s.GetProperty("pending").GetInt32() == 0,
            "the later, clean message is stored and routed");
        var stored = Assert.Single((await Parley.GetAsync("/api/v1/inbound")).EnumerateArray());
        Assert.Equal("later@customer.test", stored.GetProperty("mailFrom").GetString());
    }
}
