using Microsoft.Extensions.Time.Testing;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Deliverability.MtaSts;
using Parley.Smtp.Delivery.Tls;

namespace Parley.Smtp.Tests.Delivery.Tls;

/// <summary>The policy cache of RFC 8461 §3.3 and §5.1: max_age, the TXT id, and a failed refresh.</summary>
public sealed class MtaStsPolicyCacheTests
{
    private const string Enforce = "version: STSv1\nmode: enforce\nmx: mx.customer.test\nmax_age: 3600\n";
    private const string Testing = "version: STSv1\nmode: testing\nmx: mx.customer.test\nmax_age: 3600\n";

    [Fact]
    public async Task A_policy_is_fetched_once_and_kept_for_its_max_age()
    {
        var (zone, source, time, cache) = Setup("v=STSv1; id=1");

        Assert.Equal(MtaStsMode.Enforce, (await cache.GetAsync("customer.test", default))?.Mode);
        Assert.NotNull(await cache.GetAsync("customer.test", default));
        Assert.Equal(1, cache.Fetches);

        time.Advance(TimeSpan.FromMinutes(61));
        source.Policy = Testing;
        Assert.Equal(MtaStsMode.Testing, (await cache.GetAsync("customer.test", default))?.Mode);
        Assert.Equal(2, cache.Fetches);
    }

    [Fact]
    public async Task A_new_txt_id_fetches_the_policy_again()
    {
        var (zone, source, _, cache) = Setup("v=STSv1; id=1");
        await cache.GetAsync("customer.test", default);

        source.Policy = Testing;
        zone.Announce("v=STSv1; id=2");

        Assert.Equal(MtaStsMode.Testing, (await cache.GetAsync("customer.test", default))?.Mode);
        Assert.Equal(2, cache.Fetches);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_cached_policy_until_it_expires()
    {
        var (zone, source, time, cache) = Setup("v=STSv1; id=1");
        await cache.GetAsync("customer.test", default);

        zone.Announce("v=STSv1; id=2");
        source.Policy = null;
        Assert.Equal(MtaStsMode.Enforce, (await cache.GetAsync("customer.test", default))?.Mode);
        source.Policy = "<html>not a policy</html>";
        Assert.Equal(MtaStsMode.Enforce, (await cache.GetAsync("customer.test", default))?.Mode);

        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(await cache.GetAsync("customer.test", default));
    }

    [Fact]
    public async Task A_failed_fetch_is_not_tried_again_for_every_email_but_after_a_pause()
    {
        var (_, source, time, cache) = Setup("v=STSv1; id=1");
        source.Policy = null;
        Assert.Null(await cache.GetAsync("customer.test", default));
        Assert.Null(await cache.GetAsync("customer.test", default));
        Assert.Equal(1, cache.Fetches);

        source.Policy = Enforce;
        time.Advance(MtaStsPolicyCache.RetryFailedFetchAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(MtaStsMode.Enforce, (await cache.GetAsync("customer.test", default))?.Mode);
        Assert.Equal(2, cache.Fetches);
    }

    [Fact]
    public async Task Without_a_txt_record_the_domain_has_no_policy_unless_one_is_cached()
    {
        var (zone, _, _, cache) = Setup(null);
        Assert.Null(await cache.GetAsync("customer.test", default));
        Assert.Equal(0, cache.Fetches);

        zone.Announce("v=STSv1; id=1");
        Assert.NotNull(await cache.GetAsync("customer.test", default));
        zone.Current = new InMemoryDnsZone();
        Assert.NotNull(await cache.GetAsync("customer.test", default));
    }

    private static (SwitchableZone Zone, FixedPolicySource Source, FakeTimeProvider Time, MtaStsPolicyCache Cache) Setup(string? txt)
    {
        var zone = new SwitchableZone();
        if (txt is not null)
        {
            zone.Announce(txt);
        }

        var source = new FixedPolicySource { Policy = Enforce };
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (zone, source, time, new MtaStsPolicyCache(zone, source, time));
    }
}

/// <summary>The policy source seam: serves one policy text (null: the fetch fails).</summary>
internal sealed class FixedPolicySource : IMtaStsPolicyFetcher
{
    public string? Policy { get; set; }

    public Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken) =>
        Task.FromResult(Policy is null ? new MtaStsFetchResult(null, "HTTP 404") : new MtaStsFetchResult(Policy, null));
}

/// <summary>DNS whose records a test replaces at once (the in-memory zone only adds).</summary>
internal sealed class SwitchableZone : IDnsResolver
{
    public InMemoryDnsZone Current { get; set; } = new();

    /// <summary>Replaces every record with customer.test's _mta-sts TXT record <paramref name="txt"/>.</summary>
    public void Announce(string txt) => Current = new InMemoryDnsZone().AddTxt("_mta-sts.customer.test", txt);

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken) =>
        Current.QueryAsync(name, type, cancellationToken);
}
