using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Xunit.Abstractions;

namespace Parley.Deliverability.Tests.Doctor;

public sealed class DomainDoctorTests(ITestOutputHelper output)
{
    private static Task<DoctorReport> CheckAsync(IDnsResolver dns, SendingSetup setup, IMtaStsPolicyFetcher? fetcher = null) =>
        new DomainDoctor(dns, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)), DoctorFixtures.Options(), fetcher).CheckAsync(setup, CancellationToken.None);

    [Fact]
    public async Task Healthy_domain_has_no_failure_and_every_area_passes()
    {
        var report = await CheckAsync(DoctorFixtures.HealthyZone(), DoctorFixtures.Setup());

        Assert.False(report.HasFailures, string.Join("\n", report.Findings.Where(f => f.Severity >= FindingSeverity.Warn).Select(f => $"{f.Id}: {f.Detail}")));
        var ids = report.Findings.Select(f => f.Id).ToArray();
        foreach (var id in new[] { "spf.authorized", "dkim.valid", "dmarc.valid", "dmarc.aligned", "mx.valid", "ptr.valid", "dnsbl.not-listed", "mta-sts.present", "tls-rpt.valid", "bimi.present", "dnssec.signed" })
        {
            Assert.Contains(id, ids);
        }

        // Grouped by area in the report's order.
        var areas = report.Findings.Select(f => FindingAreas.Rank(f.AreaOf())).ToArray();
        Assert.Equal(areas.Order(), areas);
    }

    [Fact]
    public async Task Full_report_asks_independent_questions_side_by_side_and_each_only_once()
    {
        var zone = DoctorFixtures.HealthyZone();
        var slow = new DelayedResolver(zone, TimeSpan.FromMilliseconds(50));
        var cache = new CachingDnsResolver(slow, TimeProvider.System, new DnsOptions());
        var stopwatch = Stopwatch.StartNew();
        var report = await new DomainDoctor(cache, options: DoctorFixtures.Options()).CheckAsync(DoctorFixtures.Setup(), CancellationToken.None);
        var cold = stopwatch.Elapsed;
        int coldQueries = slow.Queries;

        stopwatch.Restart();
        await new DomainDoctor(cache, options: DoctorFixtures.Options()).CheckAsync(DoctorFixtures.Setup(), CancellationToken.None);
        var warm = stopwatch.Elapsed;

        output.WriteLine($"doctor with 50 ms DNS: {coldQueries} queries in {slow.Rounds} rounds, {cold.TotalMilliseconds:F0} ms cold " +
                         $"({report.Findings.Count} findings); {warm.TotalMilliseconds:F0} ms from cache ({slow.Queries - coldQueries} more queries)");
        Assert.False(report.HasFailures);
        // The deepest chains (the SPF record, then its include; the MX, then its host's address) take two rounds.
        // Asked one after another, the report would take as many rounds as it has queries.
        Assert.True(coldQueries >= 12, $"only {coldQueries} queries: the report no longer checks what it used to");
        Assert.InRange(slow.Rounds, 1, 4);
        Assert.Equal(coldQueries, slow.Queries);
    }

    [Fact]
    public async Task Broken_setup_gets_each_failure_with_its_fix()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("_dmarc.example.test", "v=DMARC1; p=none; pct=50; rua=mailto:reports@dmarc-service.test")
            .AddMx("reply.example.test", 10, "mx.elsewhere.test")
            .AddPtr("10.113.0.203.in-addr.arpa", "203-0-113-10.hosting.test")
            .AddA("10.113.0.203.bl.test", "127.0.0.2");

        var report = await CheckAsync(zone, DoctorFixtures.Setup());
        var byId = report.Findings.GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.First());

        Assert.Equal("v=spf1 ip4:203.0.113.10 ~all", byId["spf.missing"].Fix!.Value);
        var dkim = byId["dkim.missing"].Fix!;
        Assert.Equal(("TXT", "parley._domainkey.example.test"), (dkim.Type, dkim.Name));
        Assert.Equal(DkimKeys.Record(DoctorFixtures.PublicKey), dkim.Value);
        Assert.Equal(2, dkim.Strings.Count);
        Assert.All(dkim.Strings, s => Assert.True(s.Length <= 255));
        Assert.Equal("v=DMARC1; p=quarantine; rua=mailto:reports@dmarc-service.test; t=y", byId["dmarc.policy-none"].Fix!.Value);
        Assert.Contains("pct=", byId["dmarc.removed-tags"].Detail);
        Assert.Equal(new DnsFix("TXT", "example.test._report._dmarc.dmarc-service.test", "v=DMARC1"), byId["dmarc.report-destination-unauthorized"].Fix);
        Assert.Equal(FindingSeverity.Fail, byId["dmarc.not-aligned"].Severity);
        Assert.Equal(new DnsFix("MX", "reply.example.test", "10 mx.parley.test."), byId["mx.not-parley"].Fix);
        Assert.Equal(new DnsFix("PTR", "10.113.0.203.in-addr.arpa", "mail.example.test."), byId["ptr.mismatch"].Fix);
        Assert.Contains("bl.test", byId["dnsbl.listed"].Title);
        Assert.Equal("mta-sts.missing", byId["mta-sts.missing"].Id);
        Assert.True(report.HasFailures);
    }

    [Fact]
    public async Task Relay_route_not_included_proposes_the_record_with_the_include()
    {
        var zone = DoctorFixtures.HealthyZone().AddTxt("_spf.mailrelay.test", "v=spf1 ip4:192.0.2.0/24 -all");
        var setup = DoctorFixtures.Setup() with { Routes = [SendingRoute.Relay("_spf.mailrelay.test")] };

        var report = await CheckAsync(zone, setup);

        var finding = Assert.Single(report.Findings, f => f.Id == "spf.not-authorized");
        Assert.Equal("v=spf1 ip4:203.0.113.10 include:_spf.relay.test include:_spf.mailrelay.test ~all", finding.Fix!.Value);
        Assert.DoesNotContain(report.Findings, f => f.Id.StartsWith("ptr.", StringComparison.Ordinal));

        // DKIM still aligns, so DMARC passes even though SPF does not authorize the relay yet.
        Assert.Contains(report.Findings, f => f.Id == "dmarc.aligned");
    }

    [Fact]
    public async Task Key_mismatch_weak_key_and_testing_flag()
    {
        using var small = System.Security.Cryptography.RSA.Create(1024);
        var other = Convert.ToBase64String(small.ExportSubjectPublicKeyInfo());
        var zone = DoctorFixtures.HealthyZone()
            .AddTxt("old._domainkey.example.test", $"v=DKIM1; k=rsa; t=y; p={other}")
            .AddTxt("gone._domainkey.example.test", "v=DKIM1; k=rsa; p=")
            .AddTxt("junk._domainkey.example.test", "this is not a key");
        var setup = DoctorFixtures.Setup() with
        {
            DkimSelectors = [new DkimSelectorSetup("old", DoctorFixtures.PublicKey), new DkimSelectorSetup("gone"), new DkimSelectorSetup("junk")],
        };

        var report = await CheckAsync(zone, setup);
        var ids = report.Findings.Where(f => f.AreaOf() == "dkim").Select(f => f.Id).ToArray();

        Assert.Equal(["dkim.weak-key", "dkim.testing", "dkim.key-mismatch", "dkim.revoked", "dkim.syntax"], ids);
        Assert.Equal(DkimKeys.Record(DoctorFixtures.PublicKey), report.Findings.Single(f => f.Id == "dkim.key-mismatch").Fix!.Value);
        Assert.Null(report.Findings.Single(f => f.Id == "dkim.revoked").Fix);
        // No usable key: only SPF aligns, which forwarding breaks.
        Assert.Contains("Only SPF aligns", report.Findings.Single(f => f.Id == "dmarc.aligned").Detail);
    }

    [Fact]
    public async Task Json_has_the_documented_shape()
    {
        var zone = new InMemoryDnsZone().AddTxt("example.test", "v=spf1 -all");
        var report = await CheckAsync(zone, DoctorFixtures.Setup());

        using var json = JsonDocument.Parse(DoctorReportJson.Serialize(report));
        var root = json.RootElement;

        Assert.Equal("example.test", root.GetProperty("domain").GetString());
        Assert.Equal("2026-11-23T12:00:00Z", root.GetProperty("checkedAt").GetString());
        foreach (var finding in root.GetProperty("findings").EnumerateArray())
        {
            Assert.Matches("^[a-z-]+\\.[a-z-]+$", finding.GetProperty("id").GetString());
            Assert.StartsWith(finding.GetProperty("area").GetString() + ".", finding.GetProperty("id").GetString());
            Assert.Contains(finding.GetProperty("severity").GetString(), new[] { "pass", "info", "warn", "fail" });
            Assert.False(string.IsNullOrEmpty(finding.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(finding.GetProperty("detail").GetString()));
            if (finding.TryGetProperty("fix", out var fix))
            {
                Assert.Equal(["type", "name", "value"], fix.EnumerateObject().Select(p => p.Name).Take(3));
            }
        }

        var dkimFix = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "dkim.missing").GetProperty("fix");
        Assert.Equal(2, dkimFix.GetProperty("strings").GetArrayLength());
    }

    [Fact]
    public async Task Mta_sts_policy_is_fetched_through_the_interface()
    {
        var report = await CheckAsync(DoctorFixtures.HealthyZone(), DoctorFixtures.Setup(), new FakeMtaSts("version: STSv1\nmode: enforce\nmx: mx.parley.test\nmax_age: 604800\n"));
        Assert.Equal(FindingSeverity.Pass, report.Findings.Single(f => f.Id == "mta-sts.valid").Severity);

        var missing = await CheckAsync(DoctorFixtures.HealthyZone(), DoctorFixtures.Setup(), new FakeMtaSts(null));
        Assert.Contains(missing.Findings, f => f.Id == "mta-sts.policy-unavailable");

        // Read as strictly as delivery reads it: a max_age past RFC 8461's bound makes the policy void for senders.
        var tooLong = await CheckAsync(DoctorFixtures.HealthyZone(), DoctorFixtures.Setup(), new FakeMtaSts("version: STSv1\nmode: enforce\nmx: mx.parley.test\nmax_age: 99999999\n"));
        var invalid = tooLong.Findings.Single(f => f.Id == "mta-sts.policy-invalid");
        Assert.Contains("longer than the 31557600 seconds", invalid.Detail, StringComparison.Ordinal);
    }

    private sealed class FakeMtaSts(string? policy) : IMtaStsPolicyFetcher
    {
        public Task<MtaStsFetchResult> FetchAsync(string domain, CancellationToken cancellationToken) =>
            Task.FromResult(new MtaStsFetchResult(policy, policy is null ? "HTTP 404" : null));
    }
}
