using System.Net;
using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery.Mx;

namespace Parley.Smtp.Tests.Delivery.Mx;

/// <summary>RFC 5321 §5.1 and RFC 7505 route rules over an in-memory DNS zone.</summary>
public sealed class MxRouteResolverTests
{
    [Fact]
    public async Task Hosts_come_by_preference_with_their_addresses()
    {
        var zone = new InMemoryDnsZone()
            .AddMx("customer.test", 20, "backup.customer.test")
            .AddMx("customer.test", 10, "mx.customer.test")
            .AddA("mx.customer.test", "192.0.2.10")
            .AddAaaa("mx.customer.test", "2001:db8::10")
            .AddA("backup.customer.test", "192.0.2.20");

        var route = await new MxRouteResolver(zone).ResolveAsync("Customer.TEST.", CancellationToken.None);

        Assert.Equal(MxRouteStatus.Found, route.Status);
        Assert.Equal(["mx.customer.test", "backup.customer.test"], route.Hosts.Select(h => h.Name));
        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], route.Hosts[0].Addresses);
        Assert.Equal([10, 20], route.Hosts.Select(h => h.Preference));
        Assert.All(route.Hosts, h => Assert.False(h.IsImplicit));
    }

    [Fact]
    public async Task Equal_preferences_are_shuffled_and_lower_preferences_stay_last()
    {
        var zone = new InMemoryDnsZone()
            .AddMx("customer.test", 10, "a.customer.test").AddA("a.customer.test", "192.0.2.1")
            .AddMx("customer.test", 10, "b.customer.test").AddA("b.customer.test", "192.0.2.2")
            .AddMx("customer.test", 50, "c.customer.test").AddA("c.customer.test", "192.0.2.3");
        var resolver = new MxRouteResolver(zone, new Random(42));

        var firstA = 0;
        const int runs = 400;
        for (var i = 0; i < runs; i++)
        {
            var route = await resolver.ResolveAsync("customer.test", CancellationToken.None);
            Assert.Equal("c.customer.test", route.Hosts[2].Name);
            firstA += route.Hosts[0].Name == "a.customer.test" ? 1 : 0;
        }

        // Fair coin over 400 runs: 200 ± 80 is more than 8 standard deviations wide.
        Assert.InRange(firstA, 120, 280);
    }

    [Fact]
    public async Task Null_mx_is_a_permanent_failure()
    {
        var zone = new InMemoryDnsZone().AddMx("nomail.test", 0, ".").AddA("nomail.test", "192.0.2.1");

        var route = await new MxRouteResolver(zone).ResolveAsync("nomail.test", CancellationToken.None);

        Assert.Equal(MxRouteStatus.PermanentFailure, route.Status);
        Assert.Equal("5.1.10", route.EnhancedStatus);
        Assert.Contains("null MX", route.Reason);
        Assert.Empty(route.Hosts);
    }

    [Fact]
    public async Task Null_mx_next_to_real_ones_is_ignored()
    {
        var zone = new InMemoryDnsZone().AddMx("odd.test", 0, ".").AddMx("odd.test", 10, "mx.odd.test").AddA("mx.odd.test", "192.0.2.1");

        var route = await new MxRouteResolver(zone).ResolveAsync("odd.test", CancellationToken.None);

        Assert.Equal("mx.odd.test", Assert.Single(route.Hosts).Name);
    }

    [Fact]
    public async Task Nxdomain_is_a_permanent_failure()
    {
        var route = await new MxRouteResolver(new InMemoryDnsZone()).ResolveAsync("gone.test", CancellationToken.None);

        Assert.Equal(MxRouteStatus.PermanentFailure, route.Status);
        Assert.Equal("5.1.2", route.EnhancedStatus);
        Assert.Contains("does not exist", route.Reason);
    }

    [Fact]
    public async Task No_mx_falls_back_to_the_domains_own_address()
    {
        var zone = new InMemoryDnsZone().AddA("plain.test", "192.0.2.7");

        var route = await new MxRouteResolver(zone).ResolveAsync("plain.test", CancellationToken.None);

        var host = Assert.Single(route.Hosts);
        Assert.Equal(("plain.test", 0, true), (host.Name, host.Preference, host.IsImplicit));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), Assert.Single(host.Addresses));
    }

    [Fact]
    public async Task No_mx_and_no_address_is_a_permanent_failure()
    {
        var zone = new InMemoryDnsZone().AddTxt("textonly.test", "v=spf1 -all");

        var route = await new MxRouteResolver(zone).ResolveAsync("textonly.test", CancellationToken.None);

        Assert.Equal(MxRouteStatus.PermanentFailure, route.Status);
        Assert.Contains("no MX record and no A or AAAA", route.Reason);
    }

    [Theory]
    [InlineData(DnsStatus.ServerFailure)]
    [InlineData(DnsStatus.Timeout)]
    public async Task Dns_failure_on_the_mx_lookup_is_transient(DnsStatus failure)
    {
        var zone = new InMemoryDnsZone().AddFailure("flaky.test", failure, DnsRecordType.Mx);

        var route = await new MxRouteResolver(zone).ResolveAsync("flaky.test", CancellationToken.None);

        Assert.Equal(MxRouteStatus.TransientFailure, route.Status);
        Assert.Equal("4.4.3", route.EnhancedStatus);
        Assert.Contains(failure.ToString(), route.Reason);
    }

    [Fact]
    public async Task A_host_without_address_is_skipped_and_a_failed_address_lookup_is_transient_only_when_nothing_is_left()
    {
        var zone = new InMemoryDnsZone()
            .AddMx("mixed.test", 10, "noaddr.mixed.test").AddName("noaddr.mixed.test")
            .AddMx("mixed.test", 20, "broken.mixed.test").AddFailure("broken.mixed.test", DnsStatus.ServerFailure)
            .AddMx("mixed.test", 30, "ok.mixed.test").AddA("ok.mixed.test", "192.0.2.9")
            .AddMx("allbroken.test", 10, "broken.mixed.test");
        var resolver = new MxRouteResolver(zone);

        var mixed = await resolver.ResolveAsync("mixed.test", CancellationToken.None);
        var allBroken = await resolver.ResolveAsync("allbroken.test", CancellationToken.None);

        Assert.Equal("ok.mixed.test", Assert.Single(mixed.Hosts).Name);
        Assert.Equal(MxRouteStatus.TransientFailure, allBroken.Status);
    }

    [Fact]
    public async Task Address_literal_domain_needs_no_dns()
    {
        var zone = new InMemoryDnsZone();

        var route = await new MxRouteResolver(zone).ResolveAsync("[192.0.2.5]", CancellationToken.None);

        Assert.Equal(IPAddress.Parse("192.0.2.5"), Assert.Single(Assert.Single(route.Hosts).Addresses));
        Assert.Equal(0, zone.QueryCount);
    }
}
