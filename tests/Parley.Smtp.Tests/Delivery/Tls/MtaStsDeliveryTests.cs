using System.Security.Cryptography.X509Certificates;
using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery;
using Parley.Smtp.Delivery.Tls;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery.Tls;

/// <summary>
/// Direct delivery under an MTA-STS policy, for real: dnsmasq serves the MX and the _mta-sts TXT record, Parley's own
/// listener plays the MX with STARTTLS, and the policy comes through the source seam. The certificate authority is made
/// by the test and trusted only by the client under test.
/// </summary>
public sealed class MtaStsDeliveryTests(ITestOutputHelper output)
{
    private const string Enforce = "version: STSv1\nmode: enforce\nmx: mx.customer.parley.test\nmax_age: 86400\n";
    private const string Testing = "version: STSv1\nmode: testing\nmx: mx.customer.parley.test\nmax_age: 86400\n";

    [Fact]
    public async Task Enforce_with_a_self_signed_certificate_defers_and_sends_nothing()
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSignedFor("mx.customer.parley.test"));
        var (result, _) = await SendAsync(mx, Enforce);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(
            "customer.parley.test's MTA-STS policy requires TLS with a valid certificate; mx.customer.parley.test presented a self-signed certificate. Not sent in clear; will retry.",
            result.Response);
        // The attempt has returned: had anything reached the MX, it would be stored by now.
        Assert.Empty(mx.Store.Messages);
    }

    [Fact]
    public async Task Enforce_with_a_certificate_for_another_name_defers()
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.IssuedFor("other.customer.parley.test"));
        var (result, _) = await SendAsync(mx, Enforce);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("mx.customer.parley.test presented a certificate for other.customer.parley.test, not for mx.customer.parley.test", result.Response, StringComparison.Ordinal);
        Assert.Empty(mx.Store.Messages);
    }

    [Fact]
    public async Task Enforce_without_starttls_is_never_sent_in_clear()
    {
        await using var mx = await TestServer.StartAsync(output);
        var (result, _) = await SendAsync(mx, Enforce);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("MTA-STS policy requires TLS with a valid certificate; mx.customer.parley.test does not offer STARTTLS", result.Response, StringComparison.Ordinal);
        Assert.Empty(mx.Store.Messages);
    }

    [Fact]
    public async Task Enforce_with_a_valid_certificate_delivers_over_tls()
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.IssuedFor("mx.customer.parley.test"));
        var (result, _) = await SendAsync(mx, Enforce);

        Assert.True(result.IsSent, result.Response);
        var stored = Assert.Single(mx.Store.Messages);
        Assert.True(stored.Envelope.Tls);
    }

    [Fact]
    public async Task Enforce_skips_an_mx_the_policy_does_not_list()
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.IssuedFor("mx.customer.parley.test"));
        var (result, _) = await SendAsync(mx, "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n");

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("customer.parley.test's MTA-STS policy does not list mx.customer.parley.test", result.Response, StringComparison.Ordinal);
        Assert.Empty(mx.Store.Messages);
    }

    [Fact]
    public async Task Testing_delivers_and_records_what_enforce_would_have_refused()
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSignedFor("mx.customer.parley.test"));
        var (result, tls) = await SendAsync(mx, Testing);

        Assert.True(result.IsSent, result.Response);
        Assert.True(Assert.Single(mx.Store.Messages).Envelope.Tls);
        Assert.Equal(1, tls.TestingFailures["customer.parley.test"]);
    }

    [Fact]
    public async Task Without_a_policy_any_certificate_is_accepted()
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSignedFor("mx.customer.parley.test"));
        var (result, tls) = await SendAsync(mx, policy: null);

        Assert.True(result.IsSent, result.Response);
        Assert.Single(mx.Store.Messages);
        Assert.Empty(tls.TestingFailures);
    }

    private async Task<(DeliveryResult Result, MxTlsPolicy Tls)> SendAsync(TestServer mx, string? policy)
    {
        string[] records = ["mx-host=customer.parley.test,mx.customer.parley.test,10", "host-record=mx.customer.parley.test,127.0.0.1"];
        await using var dns = await DnsmasqPeer.StartAsync(policy is null ? records : [.. records, "txt-record=_mta-sts.customer.parley.test,\"v=STSv1; id=20261204\""]);
        var resolver = new DnsClientResolver(new DnsOptions { Servers = [dns.Server], Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var tls = new MxTlsPolicy(
            new MtaStsPolicyCache(resolver, new FixedPolicySource { Policy = policy ?? Enforce }),
            new X509Certificate2Collection(TestCertificates.TestAuthority));
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = mx.Port, resolver, tls: tls);
        var result = await client.SendDirectAsync(DeliveryClientTests.Message("mta-sts"), "bounce+1@parley.test", ["a@customer.parley.test"], CancellationToken.None);
        return (result, tls);
    }
}
