using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;
using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Testing;
using Xunit.Abstractions;

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
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        await using var dns = await DnsmasqPeer.StartAsync(
        [
            "txt-record=newco.test,\"v=spf1 ip4:127.0.0.1 -all\"",
            "txt-record=_dmarc.newco.test,\"v=DMARC1; p=quarantine\"",
            $"txt-record=sel._domainkey.newco.test,{TxtStrings($"v=DKIM1; k=rsa; p={publicKey}")}",
            "txt-record=spoof.test,\"v=spf1 ip4:192.0.2.1 -all\"",
            "txt-record=_dmarc.spoof.test,\"v=DMARC1; p=reject\"",
        ]);
        await using var parley = await ParleyInstance.StartAsync(dns: dns.Server);
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = AliasDomain });
        await parley.PostAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" });

        var signed = Message("Bruno <bruno@newco.test>", "<signed@newco.test>", "Signed");
        signed.Prepare(EncodingConstraint.SevenBit);
        var signer = new DkimSigner(new MemoryStream(Encoding.ASCII.GetBytes(key.ExportRSAPrivateKeyPem())), "newco.test", "sel")
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(signed, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.MessageId]);
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

    private static async Task SendAsync(int port, MimeMessage message, string mailFrom)
    {
        using var client = new SmtpClient { LocalDomain = "mx.newco.test" };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.SendAsync(message, MailboxAddress.Parse(mailFrom), [MailboxAddress.Parse("support@" + AliasDomain)]);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>The recorded Authentication-Results of each routed message, by Message-ID, once <paramref name="count"/> are routed.</summary>
    private async Task<Dictionary<string, string>> AuthenticationResultsAsync(ParleyInstance parley, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var routed = (await parley.GetAsync("/api/v1/inbound?status=routed")).EnumerateArray().ToList();
            if (routed.Count >= count)
            {
                foreach (var r in routed) output.WriteLine($"{r.GetProperty("messageId")}: {r.GetProperty("authenticationResults")}");
                return routed.ToDictionary(r => "<" + r.GetProperty("messageId").GetString()!.Trim('<', '>') + ">",
                    r => r.GetProperty("authenticationResults").GetString()!);
            }
            Assert.True(DateTime.UtcNow < deadline, $"only {routed.Count} of {count} messages were routed: {await parley.GetAsync("/api/v1/inbound")}");
            await Task.Delay(100);
        }
    }

    /// <summary>A TXT value as dnsmasq takes it: quoted strings of at most 255 characters (a 2048-bit key is longer).</summary>
    private static string TxtStrings(string value) =>
        string.Join(",", value.Chunk(200).Select(c => "\"" + new string(c) + "\""));
}
