using Microsoft.Extensions.Time.Testing;
using Parley.Core.Inbound;
using Parley.Core.Tests.Fixtures;
using Parley.Deliverability.Dns;

namespace Parley.Core.Tests.Inbound;

/// <summary>
/// The authenticator routing uses, over an in-memory DNS: SPF only for what the listener received (the envelope says
/// how a message came in), DMARC from SPF's alignment when there is no signature, every check's trouble its temperror.
/// </summary>
public sealed class DeliverabilityInboundAuthenticatorTests
{
    private const string Message = "From: Ana <ana@customer.test>\r\nTo: support@mail.parley.test\r\nSubject: hi\r\nMessage-ID: <1@customer.test>\r\n\r\nHello\r\n";

    private static readonly InMemoryDnsZone Dns = new InMemoryDnsZone()
        .AddTxt("customer.test", "v=spf1 ip4:192.0.2.10 -all")
        .AddTxt("_dmarc.customer.test", "v=DMARC1; p=reject")
        .AddTxt("mx.customer.test", "v=spf1 ip4:192.0.2.10 -all")
        .AddFailure("broken.test", DnsStatus.ServerFailure)
        .AddFailure("_dmarc.broken.test", DnsStatus.ServerFailure);

    private static Task<InboundAuthentication> AuthenticateAsync(InboundEnvelope envelope, string message = Message)
    {
        var raw = System.Text.Encoding.ASCII.GetBytes(message);
        var authenticator = new DeliverabilityInboundAuthenticator(Dns, new FakeTimeProvider(TestEnv.Start));
        return authenticator.AuthenticateAsync(new InboundAuthInput(MimeText.Parse(raw), raw, envelope, "mail.parley.test"), default);
    }

    private static InboundEnvelope Smtp(string ip, string mailFrom, string helo = "mx.customer.test") =>
        new(InboundEnvelope.Smtp, ip, helo, mailFrom, ["support@mail.parley.test"], TestEnv.Start);

    [Fact]
    public async Task Mail_from_an_address_the_senders_spf_allows_passes_spf_and_dmarc()
    {
        var result = await AuthenticateAsync(Smtp("192.0.2.10", "ana@customer.test"));

        Assert.Equal(("pass", "none", "pass", "none"), (result.Spf, result.Dkim, result.Dmarc, result.Arc));
        Assert.Equal("mail.parley.test; spf=pass smtp.mailfrom=ana@customer.test; dkim=none; dmarc=pass header.from=customer.test; arc=none", result.Header);
    }

    [Fact]
    public async Task Mail_from_elsewhere_fails_spf_and_dmarc_with_the_published_policy()
    {
        var result = await AuthenticateAsync(Smtp("198.51.100.7", "ana@customer.test"));

        Assert.Equal(("fail", "fail"), (result.Spf, result.Dmarc));
        Assert.Contains("dmarc=fail header.from=customer.test policy.dmarc=reject", result.Header);
    }

    [Fact]
    public async Task A_null_sender_is_checked_by_its_helo()
    {
        var result = await AuthenticateAsync(Smtp("192.0.2.10", "", helo: "mx.customer.test"));

        Assert.Equal("pass", result.Spf);
        Assert.Contains("spf=pass smtp.helo=mx.customer.test", result.Header);
    }

    [Fact]
    public async Task Mail_handed_in_by_mailgate_has_no_connecting_ip_to_check()
    {
        var result = await AuthenticateAsync(new InboundEnvelope(InboundEnvelope.Mailgate, null, null, "ana@customer.test", ["support@mail.parley.test"], TestEnv.Start));

        Assert.Equal("none", result.Spf);
        Assert.Contains("spf=none (received by mailgate, no connecting IP to check)", result.Header);
    }

    [Fact]
    public async Task Dns_trouble_is_a_temperror_not_an_exception()
    {
        var result = await AuthenticateAsync(Smtp("192.0.2.10", "ana@broken.test"), Message.Replace("ana@customer.test", "ana@broken.test"));

        Assert.Equal(("temperror", "temperror"), (result.Spf, result.Dmarc));
    }
}
