using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// SPF, DKIM and DMARC on arrival, through the real checks `parley serve` wires in, against records served by dnsmasq:
/// a signed message from an authorised address passes all three; a forged one fails SPF and DMARC with its policy.
/// </summary>
public sealed class InboundAuthenticationEndToEndTests(ITestOutputHelper output)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task A_signed_message_from_an_authorised_server_passes_and_a_forged_one_fails_with_its_policy()
    {
        using var key = RSA.Create(2048);
        await using var dns = await DnsmasqPeer.StartAsync(
        [
            "txt-record=newco.test,\"v=spf1 ip4:127.0.0.1 -all\"",
            "txt-record=_dmarc.newco.test,\"v=DMARC1; p=quarantine\"",
            DkimSigning.TxtRecord(key, "newco.test", "sel"),
            "txt-record=spoof.test,\"v=spf1 ip4:192.0.2.1 -all\"",
            "txt-record=_dmarc.spoof.test,\"v=DMARC1; p=reject\"",
        ]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain, o => o with { Dns = dns.Server });
        await parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });

        var signed = Message("Bruno <bruno@newco.test>", "<signed@newco.test>", "Signed");
        DkimSigning.Sign(signed, key, "newco.test", "sel", HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.MessageId);
        await SendAsync(parley.SmtpPort, signed, "bruno@newco.test");
        await SendAsync(parley.SmtpPort, Message("Bank <security@spoof.test>", "<forged@spoof.test>", "Verify your account"), "security@spoof.test");

        var results = await AuthenticationResultsAsync(parley, 2);
        var good = results["<signed@newco.test>"];
        Assert.StartsWith(AliasDomain + ";", good);
        Assert.Contains("spf=pass", good);
        Assert.Contains("smtp.mailfrom=bruno@newco.test", good);
        Assert.Contains("dkim=pass header.d=newco.test header.s=sel", good);
        Assert.Contains("dmarc=pass header.from=newco.test", good);

        var forged = results["<forged@spoof.test>"];
        Assert.Contains("spf=fail", forged);
        Assert.Contains("dkim=none", forged);
        Assert.Contains("dmarc=fail header.from=spoof.test policy.dmarc=reject", forged);
    }

    private static MimeMessage Message(string from, string messageId, string subject)
    {
        var message = new MimeMessage { Subject = subject, MessageId = messageId.Trim('<', '>') };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("support@" + AliasDomain));
        message.Body = new TextPart("plain") { Text = "Hello,\r\nplease call me back.\r\n" };
        return message;
    }

    /// <summary>From newco.test's mail server (its EHLO name), to the message's To addresses.</summary>
    private static Task SendAsync(int port, MimeMessage message, string mailFrom) => MailSender.SendAsync(port, message, mailFrom, helo: "mx.newco.test");

    [Fact]
    public async Task Mail_that_fails_its_domains_dmarc_never_lands_in_that_contacts_thread_but_a_reply_to_our_own_email_threads_flagged()
    {
        await using var dns = await DnsmasqPeer.StartAsync(
        [
            "txt-record=bank.test,\"v=spf1 ip4:192.0.2.1 -all\"",
            "txt-record=_dmarc.bank.test,\"v=DMARC1; p=reject\"",
            "txt-record=quiet.test,\"v=spf1 ip4:192.0.2.1 -all\"",
            "txt-record=_dmarc.quiet.test,\"v=DMARC1; p=none\"",
        ]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain, o => o with { Dns = dns.Server });
        await parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });
        await parley.PutAsync("/api/v1/inbound/settings", new { catchall = "contactThread" });
        var ceo = await parley.AddContactAsync("The CEO", "ceo@bank.test");

        // From a stranger's server, claiming to be the CEO: to an alias, and to an unknown address (the catchall).
        await SendAsync(parley.SmtpPort, Message("CEO <ceo@bank.test>", "<bec-1@bank.test>", "Urgent wire transfer"), "ceo@bank.test");
        var toCatchall = Message("CEO <ceo@bank.test>", "<bec-2@bank.test>", "New bank details");
        toCatchall.To.Clear();
        toCatchall.To.Add(MailboxAddress.Parse("accounts@" + AliasDomain));
        await SendAsync(parley.SmtpPort, toCatchall, "ceo@bank.test");
        // p=none is a published policy too: the forged From is not trusted either.
        await SendAsync(parley.SmtpPort, Message("Ops <ops@quiet.test>", "<bec-3@quiet.test>", "Password reset"), "ops@quiet.test");

        var settled = await SettledAsync(parley, 3);
        foreach (var id in new[] { "bec-1@bank.test", "bec-2@bank.test", "bec-3@quiet.test" })
        {
            var row = settled[id];
            Assert.Equal("unrouted", row.GetProperty("status").GetString());
            Assert.StartsWith("Suspected spoofing: the From domain's DMARC check failed", row.GetProperty("error").GetString());
            Assert.StartsWith("Suspected spoofing", row.GetProperty("senderDoubt").GetString());
        }
        Assert.Contains("(its policy: reject)", settled["bec-1@bank.test"].GetProperty("error").GetString());
        Assert.Empty((await parley.GetAsync($"/api/v1/records/contact/{ceo}/messages")).EnumerateArray());
        var quiet = await parley.GetAsync("/api/v1/contacts?q=quiet.test");
        Assert.Equal(0, (quiet.ValueKind == JsonValueKind.Array ? quiet : quiet.GetProperty("items")).GetArrayLength()); // no contact made for the forged sender

        // A reply to an email Parley sent proves it answers that email, so it threads, and the timeline says what failed.
        var sent = await parley.PostAsync($"/api/v1/records/contact/{ceo}/messages", new { kind = "email", subject = "Quarterly figures", body = "Attached." });
        var ourMessageId = sent.GetProperty("messageId").GetString()!;
        var reply = Message("CEO <ceo@bank.test>", "<reply-1@bank.test>", "Re: Quarterly figures");
        reply.InReplyTo = ourMessageId;
        await SendAsync(parley.SmtpPort, reply, "ceo@bank.test");
        var threaded = await parley.WaitForMessageAsync($"/api/v1/records/contact/{ceo}", m => m.GetProperty("subject").GetString() == "Re: Quarterly figures");
        await using var scope = parley.Services.CreateAsyncScope();
        var timeline = await scope.ServiceProvider.GetRequiredService<Core.Chatter.TimelineReader>()
            .ReadAsync(new Core.Records.RecordRef("contact", ceo), null, 50, default);
        var entry = timeline.Single(e => e.Message.Id == threaded.GetProperty("id").GetInt64());
        Assert.StartsWith("Suspected spoofing: the From domain's DMARC check failed (its policy: reject)", entry.SenderDoubt);
        Assert.Null(timeline.Single(e => e.Message.Subject == "Quarterly figures").SenderDoubt);
    }

    /// <summary>Every received message once none is pending, by Message-ID without brackets.</summary>
    private static async Task<Dictionary<string, JsonElement>> SettledAsync(ParleyHost parley, int count)
    {
        var rows = await Eventually.UntilAsync(() => parley.GetAsync("/api/v1/inbound"),
            list => list.GetArrayLength() >= count && list.EnumerateArray().All(r => r.GetProperty("status").GetString() != "pending"),
            TimeSpan.FromSeconds(20), $"{count} messages arrived and none is pending");
        return rows.EnumerateArray().ToDictionary(r => r.GetProperty("messageId").GetString()!.Trim('<', '>'));
    }

    /// <summary>The recorded Authentication-Results of each routed message, by Message-ID, once <paramref name="count"/> are routed.</summary>
    private async Task<Dictionary<string, string>> AuthenticationResultsAsync(ParleyHost parley, int count)
    {
        var rows = await Eventually.UntilAsync(() => parley.GetAsync("/api/v1/inbound"),
            list => list.EnumerateArray().Count(r => r.GetProperty("status").GetString() != "pending") >= count,
            TimeSpan.FromSeconds(20), $"{count} messages are routed");
        var routed = rows.EnumerateArray().Where(r => r.GetProperty("status").GetString() != "pending").ToList();
        foreach (var r in routed)
        {
            output.WriteLine($"{r.GetProperty("messageId")}: {r.GetProperty("authenticationResults")}");
        }

        return routed.ToDictionary(r => "<" + r.GetProperty("messageId").GetString()!.Trim('<', '>') + ">",
            r => r.GetProperty("authenticationResults").GetString()!);
    }
}
