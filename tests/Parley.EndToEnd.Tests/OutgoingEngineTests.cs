using System.Text;
using System.Text.Json;
using MimeKit;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The outgoing engine against real peers: routing by from filter, the From rewrite, direct MX
/// delivery through a real DNS server, and DKIM signatures that python3-dkim verifies with the
/// records Parley tells the admin to publish.
/// </summary>
public sealed class OutgoingEngineTests(ITestOutputHelper output)
{
    private const string Alias = "replies.parley.test";

    [Fact]
    public async Task Mail_from_a_registered_domain_is_signed_with_rsa_and_ed25519_and_python_dkim_verifies_both()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithRelayAsync(sink, Alias);
        await parley.PostAsync("/api/v1/domains", new { name = "parley.test" }); // the admin's own domain
        var records = (await parley.GetAsync("/api/v1/domains/parley.test/dns-records")).EnumerateArray().ToList();
        var dkim = records.Where(r => r.GetProperty("name").GetString()!.Contains("._domainkey.")).ToList();
        Assert.Equal(2, dkim.Count);
        Assert.Contains(dkim, r => r.GetProperty("value").GetString()!.Contains("k=rsa"));
        Assert.Contains(dkim, r => r.GetProperty("value").GetString()!.Contains("k=ed25519"));
        Assert.Contains(records, r => r.GetProperty("name").GetString() == "_dmarc.parley.test");
        Assert.Contains(records, r => r.GetProperty("type").GetString() == "MX" && r.GetProperty("name").GetString() == Alias);

        var record = await parley.AddContactRecordAsync("Ana", "ana@customer.test");
        await parley.PostAsync($"{record}/messages", new { kind = "email", subject = "Signed", body = "Hello\n\nThis line ends with spaces   \nand has a ünïcödé word." });
        var sent = await parley.WaitForMessageAsync(record, m => m.GetProperty("state").GetString() == "sent");
        output.WriteLine(sent.GetProperty("route").ToString());

        var raw = Encoding.UTF8.GetBytes(Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Message);
        var message = MimeMessage.Load(new MemoryStream(raw));
        Assert.Equal("admin@parley.test", message.From.Mailboxes.Single().Address);
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Select(h => h.Value).ToList();
        Assert.Equal(2, signatures.Count);
        Assert.Contains(signatures, s => s.Contains("a=ed25519-sha256"));
        Assert.Contains(signatures, s => s.Contains("a=rsa-sha256"));
        Assert.All(signatures, s => Assert.Contains("c=relaxed/relaxed", s));

        var txt = dkim.ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("value").GetString()!);
        var verdicts = await PyDkim.VerifyAsync(StripSinkHeaders(raw), txt);
        Assert.Equal<bool>([true, true], verdicts);

        // A wrong key must fail: the check is real.
        var wrong = txt.ToDictionary(kv => kv.Key, kv => kv.Value.Replace("p=M", "p=N"));
        Assert.Contains(false, await PyDkim.VerifyAsync(StripSinkHeaders(raw), wrong));

        // OpenDKIM, a second independent verifier, reading the same records from a DNS server.
        await using (var dns = await DnsmasqPeer.StartAsync(txt.Select(kv => DoctorScenario.Txt(kv.Key, kv.Value)), ["test"], port: 53))
        {
            var (code, said) = await OpenDkim.VerifyAsync(StripSinkHeaders(raw));
            output.WriteLine($"opendkim-testmsg: exit {code} {said}");
            Assert.Equal(0, code);
            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(StripSinkHeaders(raw)).Replace("This line ends", "This line bends"));
            Assert.NotEqual(0, (await OpenDkim.VerifyAsync(tampered)).ExitCode);
        }
    }

    [Fact]
    public async Task The_relay_is_chosen_by_from_filter_and_an_unmatched_author_is_rewritten_to_notifications()
    {
        await using var salesSink = await SmtpSinkPeer.StartAsync();
        await using var otherSink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(Alias);
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Shop relay", host = "127.0.0.1", port = salesSink.Port, security = "none", fromFilter = "shop.test", priority = 10 });
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Partner relay", host = "127.0.0.1", port = otherSink.Port, security = "none", fromFilter = "partner.test", priority = 20 });
        var record = await parley.AddContactRecordAsync("Bruno", "bruno@customer.test");

        // An author at shop.test goes through the relay whose filter lists shop.test, as themselves.
        using var sales = await parley.ClientForNewUserAsync("Sam Sales", "sam@shop.test");
        using (var response = await sales.PostAsync($"{record}/messages", Json(new { kind = "email", subject = "From sales", body = "Hi" })))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var viaShop = await parley.WaitForMessageAsync(record, m => m.GetProperty("subject").GetString() == "From sales" && m.GetProperty("state").GetString() == "sent");
        Assert.Contains("Shop relay", viaShop.GetProperty("route").GetString());
        var shopMail = Assert.Single(await salesSink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Mime();
        Assert.Equal("sam@shop.test", shopMail.From.Mailboxes.Single().Address);

        // The admin (parley.test) matches no filter: From becomes notifications@alias, the name is kept,
        // and the reply still routes to the record.
        await parley.PostAsync($"{record}/messages", new { kind = "email", subject = "From admin", body = "Hi" });
        var rewritten = await parley.WaitForMessageAsync(record, m => m.GetProperty("subject").GetString() == "From admin" && m.GetProperty("state").GetString() == "sent");
        output.WriteLine(rewritten.GetProperty("route").GetString());
        Assert.Contains($"notifications@{Alias}", rewritten.GetProperty("route").GetString());
        var all = await salesSink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10));
        var adminMail = all.Single(m => m.Message.Contains("From admin")).Mime();
        var from = adminMail.From.Mailboxes.Single();
        Assert.Equal($"notifications@{Alias}", from.Address);
        Assert.Equal("Alice Admin", from.Name);
        Assert.StartsWith("reply+contact-", adminMail.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("Alice Admin", adminMail.ReplyTo.Mailboxes.Single().Name);
        // Rewritten mail is signed by the alias domain, registered automatically.
        Assert.Contains(adminMail.Headers, h => h.Id == HeaderId.DkimSignature && h.Value.Contains($"d={Alias}"));
        Assert.Empty(otherSink.ReadMessages());
    }

    [Fact]
    public async Task Without_a_relay_mail_goes_directly_to_the_mx_found_in_dns()
    {
        await using var mx = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(
            ["mx-host=customer.test,mx1.customer.test,10", "host-record=mx1.customer.test,127.0.0.1", "mx-host=nullmx.test,.,0"],
            ["test"]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(Alias, o => o with { Dns = dns.Server, DirectDeliveryPort = mx.Port });

        var record = await parley.AddContactRecordAsync("Chloé", "chloe@customer.test");
        var sent = await parley.SendEmailAndWaitAsync(record, "Direct", "Hi");
        output.WriteLine(sent.ToString());
        Assert.Equal("sent", sent.GetProperty("state").GetString());
        Assert.Contains("directly", sent.GetProperty("route").GetString());
        var dumped = Assert.Single(await mx.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal(["chloe@customer.test"], dumped.Recipients);

        // RFC 7505 null MX: the domain accepts no mail, so the failure is permanent and says why.
        var nullMx = await parley.AddContactRecordAsync("Nobody", "nobody@nullmx.test");
        var failed = await parley.SendEmailAndWaitAsync(nullMx, "Nope", "Hi");
        output.WriteLine(failed.ToString());
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Contains("null MX", failed.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>smtp-sink puts its own trace lines on top of the dump; a verifier must see the message as sent.</summary>
    private static byte[] StripSinkHeaders(byte[] raw)
    {
        var message = MimeMessage.Load(new MemoryStream(raw));
        foreach (var name in new[] { "X-Client-Addr", "X-Mail-Args", "X-Rcpt-Args" })
        {
            message.Headers.RemoveAll(name);
        }

        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
