using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Tests.Doctor;

/// <summary>Garbage, failures and odd names become findings, never exceptions.</summary>
public sealed class DoctorBadInputTests
{
    private static Task<DoctorReport> CheckAsync(IDnsResolver dns, SendingSetup? setup = null) =>
        new DomainDoctor(dns, options: DoctorFixtures.Options()).CheckAsync(setup ?? DoctorFixtures.Setup(), CancellationToken.None);

    /// <summary>The ids of the findings the doctor reports for <paramref name="dns"/>, after checking that each expected one is among them.</summary>
    private static async Task<string[]> AssertFindingsAsync(IDnsResolver dns, params string[] expected)
    {
        var ids = (await CheckAsync(dns)).Findings.Select(f => f.Id).ToArray();
        foreach (var id in expected)
        {
            Assert.Contains(id, ids);
        }

        return ids;
    }

    [Fact]
    public async Task Servfail_and_timeouts_everywhere_give_warnings()
    {
        var zone = new InMemoryDnsZone();
        foreach (var name in new[] { "example.test", "_dmarc.example.test", "parley._domainkey.example.test", "reply.example.test", "10.113.0.203.in-addr.arpa", "_mta-sts.example.test" })
        {
            zone.AddFailure(name, name.StartsWith('_') ? DnsStatus.Timeout : DnsStatus.ServerFailure);
        }

        var ids = await AssertFindingsAsync(zone, "spf.dns-error", "dkim.dns-error", "dmarc.dns-error", "mx.dns-error", "ptr.dns-error");
        Assert.DoesNotContain(ids, id => id.EndsWith(".error", StringComparison.Ordinal) && !id.StartsWith("dnsbl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resolver_that_throws_becomes_findings()
    {
        var report = await CheckAsync(new ThrowingResolver());

        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings, f => Assert.NotEqual(FindingSeverity.Pass, f.Severity));
    }

    [Fact]
    public async Task A_dns_server_that_never_answers_is_one_temperror_and_no_finding_about_the_domain()
    {
        var report = await CheckAsync(new SilentResolver());

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("doctor.temperror", FindingSeverity.Warn), (finding.Id, finding.Severity));
        Assert.Equal("The DNS server did not answer", finding.Title);
        Assert.Equal("The DNS server 127.0.0.1:6153 did not answer, so nothing about example.test was checked. Run the doctor again later, or give another server with --dns.", finding.Detail);
        Assert.True(report.IsTemporaryFailure);
        Assert.False(report.HasFailures);
    }

    [Theory]
    [InlineData("EXAMPLE.TEST.")]
    [InlineData("Example.Test")]
    public async Task Uppercase_and_trailing_dots_are_the_same_domain(string domain)
    {
        var report = await CheckAsync(DoctorFixtures.HealthyZone(), DoctorFixtures.Setup() with { Domain = domain, BounceDomain = null });

        Assert.Equal("example.test", report.Domain);
        Assert.False(report.HasFailures);
    }

    [Fact]
    public async Task Idn_domain_is_checked_by_its_a_label()
    {
        var zone = new InMemoryDnsZone().AddTxt("xn--bcher-kva.test", "v=spf1 ip4:203.0.113.10 -all");

        var report = await CheckAsync(zone, new SendingSetup { Domain = "bücher.test", Routes = [SendingRoute.Direct(DoctorFixtures.SendingIp, null)] });

        Assert.Equal("xn--bcher-kva.test", report.Domain);
        Assert.Contains(report.Findings, f => f.Id == "spf.authorized");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a domain")]
    [InlineData("localhost")]
    public async Task Invalid_domains_are_one_finding(string domain)
    {
        var report = await CheckAsync(new InMemoryDnsZone(), new SendingSetup { Domain = domain });

        Assert.Equal("doctor.invalid-domain", Assert.Single(report.Findings).Id);
    }

    [Fact]
    public async Task Garbage_records_long_records_loops_and_cname_chains()
    {
        var longKey = string.Concat(Enumerable.Repeat("A", 600));
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 include:loop.test ~all")
            .AddTxt("loop.test", "v=spf1 include:example.test ~all")
            .AddCname("parley._domainkey.example.test", "keys.provider.test")
            .AddCname("keys.provider.test", "k2.provider.test")
            .AddTxt("k2.provider.test", "v=DKIM1; k=rsa; p=" + longKey[..200], longKey[200..])
            .AddTxt("_dmarc.example.test", "v=DMARC1 p=reject")
            .AddCname("_mta-sts.example.test", "_mta-sts.example.test");

        await AssertFindingsAsync(zone, "spf.loop", "dkim.syntax", "dmarc.syntax", "mta-sts.dns-error");
    }

    private sealed class SilentResolver : IDnsResolver
    {
        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken) =>
            Task.FromResult(DnsAnswer.Failure(name, type, DnsStatus.Timeout, "the DNS server 127.0.0.1:6153 did not answer"));
    }

    private sealed class ThrowingResolver : IDnsResolver
    {
        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("resolver broke");
    }
}
