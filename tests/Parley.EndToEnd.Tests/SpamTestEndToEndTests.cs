using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The spam test through the real listener, with DNS from dnsmasq and links to a local HTTP server: swaks sends a spam
/// from a domain whose SPF fails, without DKIM, to one test address; a signed, aligned message goes to another. The
/// two reports differ where they should, the scores bound as the issue says, and neither message reaches a chatter.
/// </summary>
public sealed class SpamTestEndToEndTests(ITestOutputHelper output)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task A_forged_spam_and_a_signed_aligned_email_get_the_reports_they_deserve()
    {
        await using var links = await LinkServer.StartAsync();
        using var key = RSA.Create(2048);
        await using var dns = await DnsmasqPeer.StartAsync(Zone(key), ["test", "127.in-addr.arpa"]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain, o => o with { Dns = dns.Server }, configure: b =>
        {
            b.Configuration["SpamTest:IpBlockLists:0"] = "bl.test";
            b.Configuration["SpamTest:DomainBlockLists:0"] = "dbl.test";
            b.Configuration["SpamTest:AllowPrivateLinkHosts"] = "true";
        });
        await parley.PutAsync("/api/v1/inbound/settings", new { catchall = "contactThread" });

        var spamTest = await CreateAsync(parley);
        var cleanTest = await CreateAsync(parley);
        Assert.Matches("^test-[a-z2-9]{12}@in\\.parley\\.test$", spamTest.Address);

        var spam = $"From: Bank Security <security@spoof.test>\r\nTo: {spamTest.Address}\r\nSubject: URGENT: VERIFY YOUR ACCOUNT NOW!!!\r\nDate: {DateTimeOffset.UtcNow:r}\r\n" +
            $"Message-ID: <spam-1@spoof.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
            $"<html><body><p>Act now or your account is suspended.</p><p><a href=\"https://bit.ly/verify-now\">https://www.spoof.test/login</a></p>" +
            $"<p><a href=\"http://links.newco.test:{links.Port}/missing\">paypal.com</a></p></body></html>\r\n";
        var sent = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "security@spoof.test",
            To = [spamTest.Address],
            Helo = "mx.spoof.test",
            Data = spam,
        });
        Assert.True(sent.ExitCode == 0, sent.Transcript);
        await SendSignedAsync(parley.SmtpPort, key, cleanTest.Address, links.Port);

        var spamReport = await ReportAsync(parley, spamTest.Id);
        var cleanReport = await ReportAsync(parley, cleanTest.Id);
        output.WriteLine($"spam {spamReport.GetProperty("score")}, clean {cleanReport.GetProperty("score")}");
        foreach (var (name, report) in new[] { ("spam", spamReport), ("clean", cleanReport) })
        {
            foreach (var check in Checks(report).Where(c => c.GetProperty("lost").GetDouble() > 0))
            {
                output.WriteLine($"{name}: {check.GetProperty("id")} -{check.GetProperty("lost")}: {check.GetProperty("detail")}");
            }
        }

        Assert.True(cleanReport.GetProperty("score").GetDouble() >= 9.5, "the clean message scores at least 9.5");
        Assert.True(spamReport.GetProperty("score").GetDouble() <= 4, "the spam scores at most 4");
        Assert.Equal("excellent", cleanReport.GetProperty("band").GetString());
        Assert.Equal(10, cleanReport.GetProperty("max").GetDouble());
        foreach (var id in new[] { "auth.spf", "auth.dkim", "auth.dmarc", "providers.spf-and-dkim", "format.text-alternative", "content.subject-caps", "content.shortener", "content.link-mismatch", "links.broken" })
        {
            Assert.Equal(("pass", "fail"), (Result(cleanReport, id), Result(spamReport, id)));
        }

        Assert.Contains("spf=fail smtp.mailfrom=security@spoof.test", spamReport.GetProperty("authenticationResults").GetString());
        Assert.Contains("dkim=pass header.d=newco.test", cleanReport.GetProperty("authenticationResults").GetString());
        Assert.Contains("/missing: HTTP 404", Check(spamReport, "links.broken").GetProperty("detail").GetString());
        Assert.Equal("TXT", Check(spamReport, "auth.spf").GetProperty("fix").GetProperty("record").GetProperty("type").GetString());
        Assert.NotEmpty(cleanReport.GetProperty("receivedChain").EnumerateArray());
        Assert.Equal(["authentication", "providers", "reputation", "format", "content", "links", "attachments"],
            cleanReport.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));

        // Kept for the test, never in a chatter, even with the catchall set to make contact threads.
        await using (var scope = parley.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.ParleyDbContext>();
            Assert.Equal(0, await db.Messages.CountAsync(m => m.Direction == Core.Chatter.MessageDirection.In));
            Assert.Equal(0, await db.Contacts.CountAsync(c => c.Email == "security@spoof.test"));
        }

        var inbound = await parley.GetAsync("/api/v1/inbound");
        Assert.All(inbound.EnumerateArray(), r => Assert.StartsWith("Spam test test-", r.GetProperty("route").GetString()));

        // The raw message as received, and the history newest first.
        using var raw = await parley.Api.GetAsync(spamReport.GetProperty("rawUrl").GetString());
        Assert.Equal("message/rfc822", raw.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Message-ID: <spam-1@spoof.test>", await raw.Content.ReadAsStringAsync());
        var history = await parley.GetAsync("/api/v1/spam-tests");
        Assert.Equal([cleanTest.Id, spamTest.Id], history.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Take(2));
        Assert.Equal("newco.test", history[0].GetProperty("sendingDomain").GetString());
    }

    [Fact]
    public async Task An_unknown_test_is_404_problem_details_and_a_member_needs_a_login()
    {
        await using var parley = await ParleyHost.ServeAsync();
        using var unknown = await parley.Api.GetAsync("/api/v1/spam-tests/nosuchtest22");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        // No alias domain yet: a test address cannot exist.
        using var early = await parley.Api.PostAsync("/api/v1/spam-tests", null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("alias domain", await early.Content.ReadAsStringAsync());

        using var anonymous = await parley.Client().GetAsync("/api/v1/spam-tests");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_predicted_score_drops_as_the_subject_starts_to_shout()
    {
        await using var parley = await ParleyHost.ServeAsync();
        const string text = "Hello Ana,\n\nyour order left our warehouse today.\n\nKind regards";
        var calm = await parley.PostAsync("/api/v1/spam-tests/predict", new { subject = "Your order has shipped", text });
        var shouting = await parley.PostAsync("/api/v1/spam-tests/predict", new { subject = "YOUR ORDER HAS SHIPPED!!!", text });
        var htmlOnly = await parley.PostAsync("/api/v1/spam-tests/predict", new { subject = "Your order has shipped", html = "<p>Hello Ana, your order left our warehouse today.</p>" });

        Assert.Equal(10, calm.GetProperty("score").GetDouble());
        Assert.Equal(8.5, shouting.GetProperty("score").GetDouble());
        Assert.Equal(["format", "content", "attachments"], calm.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
        Assert.Equal("fail", Result(shouting, "content.subject-caps"));
        Assert.Equal("fail", Result(htmlOnly, "format.text-alternative"));

        using var empty = await parley.Api.PostAsync("/api/v1/spam-tests/predict", JsonContent.Create(new { subject = "Hi" }));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Parley_score_prints_the_score_first_and_exits_0()
    {
        using var key = RSA.Create(2048);
        await using var dns = await DnsmasqPeer.StartAsync(Zone(key), ["test", "127.in-addr.arpa"]);
        var message = Signed(key, "test-abcdefghijkm@" + AliasDomain, null);
        var file = Path.Combine(Path.GetTempPath(), $"parley-score-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(file, Bytes(message));
        try
        {
            var (exit, stdout, stderr) = await ParleyCli.RunAsync("score", file, "--ip", "127.0.0.1", "--helo", "mx.newco.test", "--mail-from", "bruno@newco.test", "--dns", dns.Server);
            output.WriteLine(stdout + stderr);
            Assert.Equal(0, exit);
            var first = stdout.Split('\n')[0].Trim();
            Assert.Matches(@"^\d+\.\d/10$", first);
            Assert.True(double.Parse(first[..first.IndexOf('/')], System.Globalization.CultureInfo.InvariantCulture) >= 9.5, first);
            Assert.Matches(@"pass\s+auth\.dkim: pass", stdout);

            var (jsonExit, json, _) = await ParleyCli.RunAsync("score", file, "--json", "--ip", "198.51.100.9", "--mail-from", "bruno@newco.test", "--dns", dns.Server, "--no-links");
            Assert.Equal(0, jsonExit);
            using var report = JsonDocument.Parse(json);
            Assert.Equal("fail", report.RootElement.GetProperty("sections")[0].GetProperty("checks").EnumerateArray().First(c => c.GetProperty("id").GetString() == "auth.spf").GetProperty("result").GetString());

            var (missingExit, _, missingError) = await ParleyCli.RunAsync("score", file + ".missing");
            Assert.Equal(1, missingExit);
            Assert.Contains("Cannot read", missingError);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>newco.test sends properly from 127.0.0.1 (SPF, DKIM, DMARC, forward-confirmed reverse DNS); spoof.test allows only 192.0.2.1.</summary>
    private static string[] Zone(RSA key) =>
    [
        "txt-record=newco.test,\"v=spf1 ip4:127.0.0.1 -all\"",
        "txt-record=mx.newco.test,\"v=spf1 ip4:127.0.0.1 -all\"",
        "txt-record=_dmarc.newco.test,\"v=DMARC1; p=reject\"",
        DkimSigning.TxtRecord(key, "newco.test", "sel"),
        "host-record=mx.newco.test,127.0.0.1",
        "host-record=links.newco.test,127.0.0.1",
        "ptr-record=1.0.0.127.in-addr.arpa,mx.newco.test",
        "txt-record=spoof.test,\"v=spf1 ip4:192.0.2.1 -all\"",
        "txt-record=_dmarc.spoof.test,\"v=DMARC1; p=reject\"",
    ];

    private static MimeMessage Signed(RSA key, string to, int? linkPort)
    {
        var message = new MimeMessage { Subject = "Your quotation Q-1042", MessageId = $"{Guid.NewGuid():N}@newco.test", Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("Bruno <bruno@newco.test>"));
        message.To.Add(MailboxAddress.Parse(to));
        var link = linkPort is { } port ? $"<a href=\"http://links.newco.test:{port}/ok\">our website</a>" : "our website";
        message.Body = new BodyBuilder
        {
            TextBody = "Hello Ana,\r\n\r\nplease find your quotation Q-1042 on our website. Call me with any question.\r\n\r\nBruno\r\n",
            HtmlBody = $"<html><body><p>Hello Ana,</p><p>please find your quotation Q-1042 on {link}. Call me with any question.</p><p>Bruno</p></body></html>",
        }.ToMessageBody();
        DkimSigning.Sign(message, key, "newco.test", "sel", HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId);
        return message;
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    private static Task SendSignedAsync(int port, RSA key, string to, int linkPort) =>
        MailSender.SendAsync(port, Signed(key, to, linkPort), "bruno@newco.test", [to], helo: "mx.newco.test", startTls: true);

    private static async Task<(string Id, string Address)> CreateAsync(ParleyHost parley)
    {
        using var response = await parley.Api.PostAsync("/api/v1/spam-tests", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal($"/api/v1/spam-tests/{body.GetProperty("id").GetString()}", response.Headers.Location?.ToString());
        return (body.GetProperty("id").GetString()!, body.GetProperty("address").GetString()!);
    }

    private static Task<JsonElement> ReportAsync(ParleyHost parley, string id) =>
        Eventually.UntilAsync(() => parley.GetAsync($"/api/v1/spam-tests/{id}"), r => r.GetProperty("status").GetString() == "done",
            TimeSpan.FromSeconds(40), $"spam test {id} has its report");

    private static IEnumerable<JsonElement> Checks(JsonElement report) =>
        report.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("checks").EnumerateArray());

    private static JsonElement Check(JsonElement report, string id) => Checks(report).Single(c => c.GetProperty("id").GetString() == id);

    private static string Result(JsonElement report, string id) => Check(report, id).GetProperty("result").GetString()!;

    /// <summary>A local web server the links point at: /ok answers 200, anything else 404.</summary>
    private sealed class LinkServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LinkServer(WebApplication app, int port) => (_app, Port) = (app, port);

        public int Port { get; }

        public static async Task<LinkServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapMethods("/ok", ["GET", "HEAD"], () => Results.Text("fine"));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new LinkServer(app, new Uri(address).Port);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
