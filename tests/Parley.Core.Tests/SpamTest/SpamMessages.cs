using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;
using Parley.Core.Inbound;
using Parley.Core.SpamTest;
using Parley.Core.Tests.Fixtures;
using Parley.Deliverability.Dns;

namespace Parley.Core.Tests.SpamTest;

/// <summary>
/// A message to score, built from parts a test changes one at a time: the clean default is an authenticated, aligned,
/// well-formed email from shop.test's own server, so a test that changes one thing sees one rule fire.
/// </summary>
public sealed record SpamMessage
{
    public string From { get; init; } = "Shop <news@shop.test>";
    public string Subject { get; init; } = "Your order 1042 has shipped";
    public string Text { get; init; } = "Hello Ana,\r\n\r\nyour order 1042 left our warehouse today. You can follow it on our website.\r\n\r\nKind regards,\r\nThe Shop team\r\n";
    public string? Html { get; init; } = "<html><body><p>Hello Ana,</p><p>your order 1042 left our warehouse today. You can follow it on <a href=\"https://shop.test/orders/1042\">shop.test</a>.</p><p>Kind regards,<br>The Shop team</p></body></html>";
    public bool TextPart { get; init; } = true;
    public bool Sign { get; init; } = true;
    public string SigningDomain { get; init; } = "shop.test";
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    public IReadOnlyList<MimePart> Attachments { get; init; } = [];
    public string MailFrom { get; init; } = "bounce@shop.test";
    public string Ip { get; init; } = "192.0.2.10";
    public string Helo { get; init; } = "mail.shop.test";
    public bool Tls { get; init; } = true;

    public MimeMessage ToMime()
    {
        var message = new MimeMessage { Subject = Subject, Date = SpamMessages.Now, MessageId = "1042.1@shop.test" };
        message.From.Add(MailboxAddress.Parse(From));
        message.To.Add(MailboxAddress.Parse("test-abcdefghijkm@in.parley.test"));
        foreach (var (name, value) in Headers)
        {
            message.Headers.Add(name, value);
        }

        var body = new BodyBuilder();
        if (TextPart)
        {
            body.TextBody = Text;
        }

        if (Html is not null)
        {
            body.HtmlBody = Html;
        }

        foreach (var attachment in Attachments)
        {
            body.Attachments.Add(attachment);
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    public byte[] ToBytes()
    {
        var message = ToMime();
        message.Prepare(EncodingConstraint.SevenBit);
        if (Sign)
        {
            var signer = new DkimSigner(new MemoryStream(Encoding.ASCII.GetBytes(SpamMessages.Key.ExportRSAPrivateKeyPem())), SigningDomain, "sel")
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        }

        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    public SpamTestSubject Subject_(byte[]? raw = null) => new(raw ?? ToBytes(), IPAddress.Parse(Ip), Helo, MailFrom, Tls);
}

public static class SpamMessages
{
    public static readonly DateTimeOffset Now = TestEnv.Start;
    public static readonly RSA Key = RSA.Create(2048);

    /// <summary>shop.test's DNS as a careful sender publishes it; other.test has nothing; bl.test and dbl.test are the lists.</summary>
    public static InMemoryDnsZone Dns() => new InMemoryDnsZone()
        .AddTxt("shop.test", "v=spf1 ip4:192.0.2.10 -all")
        .AddTxt("mail.shop.test", "v=spf1 a -all")
        .AddTxt("nohelo.shop.test", "v=spf1 -all")
        .AddA("mail.shop.test", "192.0.2.10")
        .AddA("shop.test", "192.0.2.10")
        .AddPtr("10.2.0.192.in-addr.arpa", "mail.shop.test")
        .AddTxt("_dmarc.shop.test", "v=DMARC1; p=reject")
        .AddTxt("sel._domainkey.shop.test", $"v=DKIM1; k=rsa; p={Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo())}")
        .AddTxt("sel._domainkey.other.test", $"v=DKIM1; k=rsa; p={Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo())}")
        .AddA("other.test", "192.0.2.99")
        .AddA("7.100.51.198.bl.test", "127.0.0.2")
        .AddA("listed.test.dbl.test", "127.0.1.2");

    public static SpamChecker Checker(InMemoryDnsZone? dns = null, Action<SpamTestOptions>? configure = null)
    {
        var options = new SpamTestOptions { IpBlockLists = ["bl.test"], DomainBlockLists = ["dbl.test"], FetchLinks = false };
        configure?.Invoke(options);
        var zone = dns ?? Dns();
        var clock = new FakeTimeProvider(Now);
        return new SpamChecker(zone, clock, Options.Create(options), new LinkChecks(zone, options), new DeliverabilityInboundAuthenticator(zone, clock), SpamEngines.From(options, new HttpClient()));
    }

    public static Task<SpamReport> ScoreAsync(SpamMessage message, byte[]? raw = null, SpamChecker? checker = null) =>
        (checker ?? Checker()).ScoreAsync(message.Subject_(raw), default);
}
