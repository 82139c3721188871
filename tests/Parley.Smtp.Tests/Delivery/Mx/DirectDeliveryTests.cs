using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery;
using Parley.Smtp.Tests.Support;
using Parley.Testing;

namespace Parley.Smtp.Tests.Delivery.Mx;

/// <summary>Direct delivery: a real DNS server (dnsmasq) on loopback serves the MX, smtp-sink plays the MX host.</summary>
public sealed class DirectDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Message_goes_to_the_mx_that_dns_names()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(["mx-host=customer.test,mx.customer.test,10", "host-record=mx.customer.test,127.0.0.1"]);
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = sink.Port, DeliveryClients.Resolver(dns));

        var result = await client.SendDirectAsync(
            DeliveryClientTests.Message("direct"), "bounce+1@parley.test", ["a@customer.test", "b@Customer.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Equal("mx.customer.test", result.Host);
        var dumped = Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(5)));
        Assert.Equal("bounce+1@parley.test", dumped.MailFrom);
        Assert.Equal(["a@customer.test", "b@Customer.test"], dumped.Recipients);
    }

    [Fact]
    public async Task Domain_without_mx_gets_mail_at_its_own_address()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(["host-record=plain.test,127.0.0.1"]);
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = sink.Port, DeliveryClients.Resolver(dns));

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("implicit"), "s@parley.test", ["a@plain.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Equal("plain.test", result.Host);
    }

    [Fact]
    public async Task First_mx_refusing_connections_falls_over_to_the_second()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(TwoMx);
        await using var client = TwoMxClient(dns, firstMxPort: FreePort.GetClosed(), secondMxPort: sink.Port);

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("fallover"), "s@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Equal("mx2.customer.test", result.Host);
        Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task First_mx_answering_4xx_at_connect_falls_over_to_the_second()
    {
        await using var busy = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { SoftReject = ["CONNECT"] });
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(TwoMx);
        await using var client = TwoMxClient(dns, firstMxPort: busy.Port, secondMxPort: sink.Port);

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("busy"), "s@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.Equal("mx2.customer.test", result.Host);
    }

    [Fact]
    public async Task A_5xx_from_the_first_mx_is_final()
    {
        await using var refusing = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HardReject = ["RCPT"] });
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(TwoMx);
        await using var client = TwoMxClient(dns, firstMxPort: refusing.Port, secondMxPort: sink.Port);

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("refused"), "s@parley.test", ["a@customer.test"], CancellationToken.None);

        // One assertion naming everything: a CI run on a new machine failed here once without saying which part.
        var seen = $"{result.Outcome} {result.StatusCode} from {result.Host}: {result.Response}; refusing smtp-sink said: {refusing.Log}";
        Assert.True(result.Outcome == DeliveryOutcome.PermanentFailure && result.Host == "mx1.customer.test", seen);
        Assert.InRange(result.StatusCode, 500, 599);
        Assert.Empty(sink.ReadMessages());
    }

    [Fact]
    public async Task Every_mx_unreachable_is_transient_and_names_each_host()
    {
        await using var dns = await DnsmasqPeer.StartAsync(TwoMx);
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = FreePort.GetClosed(), DeliveryClients.Resolver(dns));

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("down"), "s@parley.test", ["a@customer.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.TransientFailure, result.Outcome);
        Assert.Contains("mx1.customer.test", result.Response);
        Assert.Contains("mx2.customer.test", result.Response);
        output.WriteLine(result.Response);
    }

    [Fact]
    public async Task Unknown_domain_fails_permanently_without_connecting()
    {
        await using var dns = await DnsmasqPeer.StartAsync(TwoMx);
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = FreePort.GetClosed(), DeliveryClients.Resolver(dns));

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("nx"), "s@parley.test", ["a@nowhere.test"], CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("5.1.2", result.EnhancedStatus);
        Assert.Contains("does not exist", result.Response);
        Assert.Null(result.Host);
        Assert.Equal(0, client.ConnectionsOpened);
    }

    [Fact]
    public async Task Null_mx_and_dns_failure_become_permanent_and_transient_results()
    {
        var zone = new InMemoryDnsZone().AddMx("nomail.test", 0, ".").AddFailure("flaky.test", DnsStatus.ServerFailure, DnsRecordType.Mx);
        await using var client = DeliveryClients.Create(output, dns: zone);

        var nullMx = await client.SendDirectAsync(DeliveryClientTests.Message("x"), "s@parley.test", ["a@nomail.test"], CancellationToken.None);
        var servfail = await client.SendDirectAsync(DeliveryClientTests.Message("x"), "s@parley.test", ["a@flaky.test"], CancellationToken.None);

        Assert.Equal((DeliveryOutcome.PermanentFailure, "5.1.10"), (nullMx.Outcome, nullMx.EnhancedStatus));
        Assert.Equal(DeliveryOutcome.PermanentFailure, Assert.Single(nullMx.Recipients).Outcome);
        Assert.Equal((DeliveryOutcome.TransientFailure, "4.4.3"), (servfail.Outcome, servfail.EnhancedStatus));
    }

    [Fact]
    public async Task Opportunistic_starttls_accepts_a_self_signed_mx_certificate()
    {
        await using var server = await TestServer.StartAsync(output, o => o.Certificate = TestCertificates.SelfSigned);
        var zone = new InMemoryDnsZone().AddMx("parley.test", 10, "mx.parley.test").AddA("mx.parley.test", "127.0.0.1");
        await using var client = DeliveryClients.Create(output, o => o.DirectDeliveryPort = server.Port, zone);

        var result = await client.SendDirectAsync(DeliveryClientTests.Message("tls"), "s@client.test", ["ok@parley.test"], CancellationToken.None);

        Assert.True(result.IsSent, result.Response);
        Assert.True(Assert.Single(server.Store.Messages).Envelope.Tls);
    }

    [Fact]
    public async Task Recipients_of_several_domains_are_refused()
    {
        await using var client = DeliveryClients.Create(output, dns: new InMemoryDnsZone());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SendDirectAsync(DeliveryClientTests.Message("x"), "s@parley.test", ["a@one.test", "b@two.test"], CancellationToken.None));
    }

    private static readonly string[] TwoMx =
    [
        "mx-host=customer.test,mx1.customer.test,10", "mx-host=customer.test,mx2.customer.test,20",
        "host-record=mx1.customer.test,127.0.0.1", "host-record=mx2.customer.test,127.0.0.1",
    ];

    /// <summary>A client delivering to <see cref="TwoMx"/>: mx1.customer.test on <paramref name="firstMxPort"/>, mx2 on <paramref name="secondMxPort"/>.</summary>
    private SmtpDeliveryClient TwoMxClient(DnsmasqPeer dns, int firstMxPort, int secondMxPort) =>
        DeliveryClients.Create(output, o =>
        {
            o.DirectDeliveryPort = secondMxPort;
            o.DirectDeliveryPortOverrides["mx1.customer.test"] = firstMxPort;
        }, DeliveryClients.Resolver(dns));
}
