using System.Security.Cryptography.X509Certificates;
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

    /// <summary>What the MX offers, the policy, and the deferral's whole reason: an enforced policy never falls back to clear text.</summary>
    public static TheoryData<string, string, string> EnforcedRefusals => new()
    {
        {
            "a self-signed certificate", Enforce,
            "customer.parley.test's MTA-STS policy requires TLS with a valid certificate; mx.customer.parley.test presented a self-signed certificate. Not sent in clear; will retry."
        },
        {
            "a certificate for other.customer.parley.test", Enforce,
            "customer.parley.test's MTA-STS policy requires TLS with a valid certificate; mx.customer.parley.test presented a certificate for other.customer.parley.test, not for mx.customer.parley.test. Not sent in clear; will retry."
        },
        {
            "no STARTTLS", Enforce,
            "customer.parley.test's MTA-STS policy requires TLS with a valid certificate; mx.customer.parley.test does not offer STARTTLS. Not sent in clear; will retry."
        },
        {
            "a valid certificate", "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n",
            "customer.parley.test's MTA-STS policy does not list mx.customer.parley.test (mx: *.elsewhere.test); not tried"
        },
    };

    [Theory]
    [MemberData(nameof(EnforcedRefusals))]
    public async Task Enforce_defers_and_sends_nothing_when_the_mx_does_not_meet_the_policy(string mxOffers, string policy, string reason)
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = Offered(mxOffers));
        var (result, _) = await SendAsync(mx, policy);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Equal(reason, result.Response);
        // The attempt has returned: had anything reached the MX, it would be stored by now.
        Assert.Empty(mx.Store.Messages);
    }

    /// <summary>What the MX offers, the policy (none: no _mta-sts record), and the failures testing mode recorded.</summary>
    public static TheoryData<string, string?, int> Deliveries => new()
    {
        { "a valid certificate", Enforce, 0 },
        { "a self-signed certificate", Testing, 1 }, // what enforce would have refused: recorded, not refused
        { "a self-signed certificate", null, 0 }, // without a policy any certificate is accepted
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task The_message_goes_over_tls_when_the_policy_allows_it(string mxOffers, string? policy, int testingFailures)
    {
        await using var mx = await TestServer.StartAsync(output, o => o.Certificate = Offered(mxOffers));
        var (result, tls) = await SendAsync(mx, policy);

        Assert.True(result.IsSent, result.Response);
        Assert.True(Assert.Single(mx.Store.Messages).Envelope.Tls);
        (string Domain, int Count)[] recorded = testingFailures == 0 ? [] : [("customer.parley.test", testingFailures)];
        Assert.Equal(recorded, tls.TestingFailures.Select(f => (f.Key, f.Value)));
    }

    private static X509Certificate2? Offered(string mxOffers) => mxOffers switch
    {
        "a self-signed certificate" => TestCertificates.SelfSignedFor("mx.customer.parley.test"),
        "a certificate for other.customer.parley.test" => TestCertificates.IssuedFor("other.customer.parley.test"),
        "a valid certificate" => TestCertificates.IssuedFor("mx.customer.parley.test"),
        _ => null,
    };

    private async Task<(DeliveryResult Result, MxTlsPolicy Tls)> SendAsync(TestServer mx, string? policy)
    {
        string[] records = ["mx-host=customer.parley.test,mx.customer.parley.test,10", "host-record=mx.customer.parley.test,127.0.0.1"];
        await using var dns = await DnsmasqPeer.StartAsync(policy is null ? records : [.. records, "txt-record=_mta-sts.customer.parley.test,\"v=STSv1; id=20261204\""]);
        var resolver = DeliveryClients.Resolver(dns);
        var tls = new MxTlsPolicy(
            new MtaStsPolicyCache(resolver, new FixedPolicySource { Policy = policy ?? Enforce }),
            new X509Certificate2Collection(TestCertificates.TestAuthority));
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = mx.Port, resolver, tls: tls);
        var result = await client.SendDirectAsync(DeliveryClientTests.Message("mta-sts"), "bounce+1@parley.test", ["a@customer.parley.test"], CancellationToken.None);
        return (result, tls);
    }
}
