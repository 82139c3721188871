using Microsoft.Extensions.Time.Testing;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Tests.Dns;

public sealed class CachingDnsResolverTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Answers_are_kept_for_their_ttl_then_asked_again()
    {
        var zone = new InMemoryDnsZone { Ttl = 60 }.AddA("a.test", "192.0.2.1");
        var clock = new FakeTimeProvider();
        var cache = new CachingDnsResolver(zone, clock, new DnsOptions());

        await cache.QueryAAsync("a.test", Ct);
        await cache.QueryAAsync("A.TEST.", Ct);
        Assert.Equal(1, zone.QueryCount);

        clock.Advance(TimeSpan.FromSeconds(61));
        await cache.QueryAAsync("a.test", Ct);
        Assert.Equal(2, zone.QueryCount);
    }

    [Fact]
    public async Task Negative_answers_are_cached_but_failures_are_not()
    {
        var zone = new InMemoryDnsZone { Ttl = 300 }.AddFailure("slow.test", DnsStatus.Timeout);
        var cache = new CachingDnsResolver(zone, new FakeTimeProvider(), new DnsOptions());

        await cache.QueryAAsync("missing.test", Ct);
        await cache.QueryAAsync("missing.test", Ct);
        Assert.Equal(1, zone.QueryCount);

        Assert.Equal(DnsStatus.Timeout, (await cache.QueryAAsync("slow.test", Ct)).Status);
        Assert.Equal(DnsStatus.Timeout, (await cache.QueryAAsync("slow.test", Ct)).Status);
        Assert.Equal(3, zone.QueryCount);
    }

    [Fact]
    public async Task Ttl_is_clamped_to_the_configured_maximum()
    {
        var zone = new InMemoryDnsZone { Ttl = 86_400 }.AddA("a.test", "192.0.2.1");
        var clock = new FakeTimeProvider();
        var cache = new CachingDnsResolver(zone, clock, new DnsOptions { MaximumCacheTtl = TimeSpan.FromMinutes(1) });

        await cache.QueryAAsync("a.test", Ct);
        clock.Advance(TimeSpan.FromMinutes(2));
        await cache.QueryAAsync("a.test", Ct);

        Assert.Equal(2, zone.QueryCount);
    }

    [Fact]
    public async Task Cache_size_is_bounded()
    {
        var zone = new InMemoryDnsZone();
        var cache = new CachingDnsResolver(zone, new FakeTimeProvider(), new DnsOptions { MaxCacheEntries = 10 });

        for (int i = 0; i < 50; i++)
        {
            await cache.QueryAAsync($"n{i}.test", Ct);
        }

        Assert.True(cache.Count <= 10);
    }
}
