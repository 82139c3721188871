using System.Net;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Tests.Spf;

/// <summary>Bad input gives the RFC result, never an exception.</summary>
public sealed class SpfEvaluatorRobustnessTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<SpfResult> CheckAsync(InMemoryDnsZone zone, string domain = "example.test", string? sender = null) =>
        new SpfEvaluator(zone).CheckHostAsync(Client, domain, sender ?? "user@" + domain, "helo.example.test", Ct);

    [Theory]
    [InlineData("v=spf1 \u0000\u0001\u0002")]
    [InlineData("v=spf1 ip4:")]
    [InlineData("v=spf1 ip4:999.1.1.1")]
    [InlineData("v=spf1 ip6:::::::")]
    [InlineData("v=spf1 a:%{")]
    [InlineData("v=spf1 a:%{x}.test")]
    [InlineData("v=spf1 a:%{d0}.test")]
    [InlineData("v=spf1 a/99999999999999999999")]
    [InlineData("v=spf1 include")]
    [InlineData("v=spf1 redirect= -all")]
    [InlineData("v=spf1 =")]
    [InlineData("v=spf1 -all exp=%{p")]
    [InlineData("v=spf1 a:é.test -all")]
    [InlineData("v=spf1 mx\t-all")]
    public async Task Garbage_records_are_permerror(string record)
    {
        var result = await CheckAsync(new InMemoryDnsZone().AddTxt("example.test", record));

        Assert.Equal(SpfVerdict.PermError, result.Verdict);
        Assert.NotNull(result.Problem);
    }

    [Fact]
    public async Task Records_split_into_255_byte_strings_and_over_512_bytes_are_read_whole()
    {
        var terms = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"ip4:198.51.100.{i}"));
        var record = $"v=spf1 {terms} ip4:192.0.2.10 -all";
        Assert.True(record.Length > 512);
        var strings = Enumerable.Range(0, (record.Length + 254) / 255).Select(i => record.Substring(i * 255, Math.Min(255, record.Length - i * 255))).ToArray();

        var result = await CheckAsync(new InMemoryDnsZone().AddTxt("example.test", strings));

        Assert.Equal(SpfVerdict.Pass, result.Verdict);
        Assert.Equal("ip4:192.0.2.10", result.Mechanism);
    }

    [Fact]
    public async Task Include_loops_end_in_permerror()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 include:b.test -all")
            .AddTxt("b.test", "v=spf1 include:example.test -all");

        var result = await CheckAsync(zone);

        Assert.Equal(SpfVerdict.PermError, result.Verdict);
        Assert.Equal(11, result.DnsLookups);
    }

    [Fact]
    public async Task Cname_chains_are_followed_and_cname_loops_are_temperror()
    {
        var zone = new InMemoryDnsZone()
            .AddCname("example.test", "alias1.test").AddCname("alias1.test", "alias2.test")
            .AddTxt("alias2.test", "v=spf1 a:host.test -all")
            .AddCname("host.test", "real-host.test").AddA("real-host.test", "192.0.2.10")
            .AddCname("loop.test", "loop.test");

        Assert.Equal(SpfVerdict.Pass, (await CheckAsync(zone)).Verdict);
        Assert.Equal(SpfVerdict.TempError, (await CheckAsync(zone, "loop.test")).Verdict);
    }

    [Theory]
    [InlineData(DnsStatus.ServerFailure)]
    [InlineData(DnsStatus.Timeout)]
    [InlineData(DnsStatus.Error)]
    public async Task Dns_failures_are_temperror(DnsStatus failure)
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 mx:broken.test -all")
            .AddFailure("broken.test", failure);

        var top = await CheckAsync(new InMemoryDnsZone().AddFailure("example.test", failure));
        var inner = await CheckAsync(zone);

        Assert.Equal(SpfVerdict.TempError, top.Verdict);
        Assert.Equal(SpfVerdict.TempError, inner.Verdict);
        Assert.Contains("broken.test", inner.Problem);
    }

    [Theory]
    [InlineData("EXAMPLE.Test.")]
    [InlineData("example.test.")]
    public async Task Uppercase_and_trailing_dots_are_the_same_domain(string domain)
    {
        var result = await CheckAsync(new InMemoryDnsZone().AddTxt("example.test", "v=spf1 ip4:192.0.2.10 -all"), domain);

        Assert.Equal(SpfVerdict.Pass, result.Verdict);
    }

    [Fact]
    public async Task Idn_domains_are_looked_up_as_a_labels()
    {
        var zone = new InMemoryDnsZone().AddTxt("xn--bcher-kva.example", "v=spf1 ip4:192.0.2.10 -all");

        var result = await new SpfEvaluator(zone).CheckMailFromAsync(Client, "info@bücher.example", "helo.test", Ct);

        Assert.Equal(SpfVerdict.Pass, result.Verdict);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("[192.0.2.10]")]
    [InlineData("a..test")]
    [InlineData("exa mple.test")]
    public async Task Malformed_domains_are_none(string domain)
    {
        var result = await CheckAsync(new InMemoryDnsZone(), domain);

        Assert.Equal(SpfVerdict.None, result.Verdict);
    }

    [Fact]
    public async Task A_throwing_resolver_is_temperror()
    {
        var result = await new SpfEvaluator(new ThrowingResolver()).CheckHostAsync(Client, "example.test", "a@example.test", "h.test", Ct);

        Assert.Equal(SpfVerdict.TempError, result.Verdict);
    }

    [Fact]
    public async Task A_hanging_resolver_hits_the_overall_time_limit()
    {
        var evaluator = new SpfEvaluator(new HangingResolver(), options: new SpfEvaluatorOptions { Timeout = TimeSpan.FromMilliseconds(100) });

        var result = await evaluator.CheckHostAsync(Client, "example.test", "a@example.test", "h.test", Ct);

        Assert.Equal(SpfVerdict.TempError, result.Verdict);
    }

    [Fact]
    public async Task Caller_cancellation_propagates()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SpfEvaluator(new HangingResolver()).CheckHostAsync(Client, "example.test", "a@example.test", "h.test", cts.Token));
    }

    [Fact]
    public async Task Helo_identity_is_checked_with_postmaster()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("mail.example.test", "v=spf1 exists:%{l}.%{d} -all")
            .AddA("postmaster.mail.example.test", "127.0.0.2");

        var result = await new SpfEvaluator(zone).CheckHeloAsync(Client, "mail.example.test", Ct);

        Assert.Equal(SpfVerdict.Pass, result.Verdict);
    }

    private sealed class ThrowingResolver : IDnsResolver
    {
        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("resolver bug");
    }

    private sealed class HangingResolver : IDnsResolver
    {
        public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
