using System.Net;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf.Analysis;

namespace Parley.Deliverability.Tests.Spf.Analysis;

public sealed class SpfAnalyzerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly SpfRoute ParleyIp = SpfRoute.FromIp(IPAddress.Parse("192.0.2.10"));

    private static async Task<SpfAnalysis> AnalyzeAsync(InMemoryDnsZone zone, params SpfRoute[] routes) =>
        await new SpfAnalyzer(zone).AnalyzeAsync("example.test", routes, Ct);

    private static Finding Single(SpfAnalysis analysis, string id) => Assert.Single(analysis.Findings, f => f.Id == id);

    [Fact]
    public async Task Missing_record_proposes_one_for_the_route()
    {
        var analysis = await AnalyzeAsync(new InMemoryDnsZone().AddA("example.test", "192.0.2.1"), ParleyIp);

        var finding = Single(analysis, "spf.missing");
        Assert.Equal(FindingSeverity.Fail, finding.Severity);
        Assert.Equal(new DnsFix("TXT", "example.test", "v=spf1 ip4:192.0.2.10 ~all"), finding.Fix);
    }

    [Fact]
    public async Task Several_records_are_merged_into_one()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 mx -all")
            .AddTxt("example.test", "v=spf1 include:_spf.relay.test ~all")
            .AddTxt("example.test", "google-site-verification=abc");

        var finding = Single(await AnalyzeAsync(zone, ParleyIp), "spf.multiple-records");

        Assert.Equal("v=spf1 mx include:_spf.relay.test ip4:192.0.2.10 -all", finding.Fix!.Value);
    }

    [Fact]
    public async Task Syntax_error_reports_the_position()
    {
        var zone = new InMemoryDnsZone().AddTxt("example.test", "v=spf1 ip4:192.0.2.1 fo:o -all");

        var finding = Single(await AnalyzeAsync(zone), "spf.syntax");

        Assert.Contains("position 21", finding.Detail);
        Assert.Contains("unknown mechanism \"fo\"", finding.Detail);
    }

    [Fact]
    public async Task Syntax_error_across_a_string_split_explains_the_join()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 ip4:192.0.2.1", "include:relay.test -all")
            .AddTxt("relay.test", "v=spf1 -all");

        var analysis = await AnalyzeAsync(zone);

        Assert.Equal(["v=spf1 ip4:192.0.2.1", "include:relay.test -all"], analysis.RecordStrings);
        Assert.Contains("joined with no space", Single(analysis, "spf.syntax").Detail);
    }

    [Fact]
    public async Task Lookups_are_counted_through_the_include_tree()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 mx include:one.test include:two.test -all")
            .AddMx("example.test", 10, "mail.example.test").AddA("mail.example.test", "192.0.2.2")
            .AddTxt("one.test", "v=spf1 a mx include:three.test ~all").AddA("one.test", "192.0.2.3").AddMx("one.test", 1, "one.test")
            .AddTxt("two.test", "v=spf1 a:x.two.test a:y.two.test a:z.two.test ~all")
            .AddA("x.two.test", "192.0.2.4").AddA("y.two.test", "192.0.2.5").AddA("z.two.test", "192.0.2.6")
            .AddTxt("three.test", "v=spf1 exists:%{i}.bl.test ptr ~all");

        var analysis = await AnalyzeAsync(zone);

        Assert.Equal(11, analysis.DnsLookups);
        Assert.Equal(FindingSeverity.Fail, Single(analysis, "spf.too-many-lookups").Severity);
        Single(analysis, "spf.ptr");
        Single(analysis, "spf.macros");
    }

    [Fact]
    public async Task Void_lookups_and_permissive_all_are_reported()
    {
        var zone = new InMemoryDnsZone().AddTxt("example.test", "v=spf1 a:nx1.example.test a:nx2.example.test mx:nx3.example.test +all");

        var analysis = await AnalyzeAsync(zone);

        Assert.Equal(3, analysis.VoidLookups);
        Assert.Equal(FindingSeverity.Fail, Single(analysis, "spf.void-lookups").Severity);
        Assert.Equal(FindingSeverity.Fail, Single(analysis, "spf.permissive-all").Severity);
    }

    [Fact]
    public async Task Neutral_all_is_a_warning()
    {
        var zone = new InMemoryDnsZone().AddTxt("example.test", "v=spf1 ip4:192.0.2.0/24 ?all");

        Assert.Equal(FindingSeverity.Warn, Single(await AnalyzeAsync(zone), "spf.permissive-all").Severity);
    }

    [Fact]
    public async Task Unauthorized_ip_gets_a_record_with_existing_terms_kept_and_ip_before_all()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 mx include:_spf.relay.test ~all")
            .AddMx("example.test", 10, "mail.example.test").AddA("mail.example.test", "192.0.2.2")
            .AddTxt("_spf.relay.test", "v=spf1 ip4:198.51.100.0/24 -all");

        var analysis = await AnalyzeAsync(zone, ParleyIp);

        var finding = Single(analysis, "spf.not-authorized");
        Assert.Equal("v=spf1 mx include:_spf.relay.test ip4:192.0.2.10 ~all", finding.Fix!.Value);
        Assert.False(Assert.Single(analysis.Routes).Authorized);
    }

    [Fact]
    public async Task New_terms_go_before_redirect_when_there_is_no_all()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 a redirect=_spf.example.test").AddA("example.test", "192.0.2.1")
            .AddTxt("_spf.example.test", "v=spf1 ip4:198.51.100.0/24 -all");

        var check = await new SpfAnalyzer(zone).AuthorizesRouteAsync("example.test", SpfRoute.FromIp(IPAddress.Parse("2001:db8::25")), Ct);

        Assert.False(check.Authorized);
        Assert.Equal("v=spf1 a ip6:2001:db8::25 redirect=_spf.example.test", check.ProposedRecord);
    }

    [Fact]
    public async Task Authorized_routes_pass()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 ip4:192.0.2.0/24 include:_spf.relay.test -all")
            .AddTxt("_spf.relay.test", "v=spf1 ip4:198.51.100.0/24 -all");

        var analysis = await AnalyzeAsync(zone, ParleyIp, SpfRoute.FromInclude("_SPF.relay.test."));

        Assert.All(analysis.Routes, r => Assert.True(r.Authorized));
        Assert.Equal(FindingSeverity.Pass, Single(analysis, "spf.authorized").Severity);
        Assert.Equal(FindingSeverity.Pass, Single(analysis, "spf.valid").Severity);
        Assert.Null(analysis.ProposedRecord);
        Assert.Equal(1, analysis.DnsLookups);
    }

    [Fact]
    public async Task Missing_relay_include_is_added_and_projected_lookups_checked()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", "v=spf1 a a a a a a a a a -all").AddA("example.test", "192.0.2.1")
            .AddTxt("_spf.relay.test", "v=spf1 include:_a.relay.test -all")
            .AddTxt("_a.relay.test", "v=spf1 ip4:198.51.100.0/24 -all");

        var finding = Single(await AnalyzeAsync(zone, SpfRoute.FromInclude("_spf.relay.test")), "spf.not-authorized");

        Assert.Equal("v=spf1 a a a a a a a a a include:_spf.relay.test -all", finding.Fix!.Value);
        Assert.Contains("would need 11 DNS lookups", finding.Detail);
    }

    [Fact]
    public async Task Loops_broken_includes_and_length_are_reported()
    {
        var longRecord = "v=spf1 include:loop.test include:gone.test " + string.Join(' ', Enumerable.Range(1, 30).Select(i => $"ip4:198.51.100.{i}")) + " -all";
        var zone = new InMemoryDnsZone()
            .AddTxt("example.test", SpfRecordEditor.SplitForTxt(longRecord).ToArray())
            .AddTxt("loop.test", "v=spf1 include:example.test -all");

        var analysis = await AnalyzeAsync(zone);

        Single(analysis, "spf.loop");
        Assert.Contains("gone.test has no SPF record", Single(analysis, "spf.include-broken").Detail);
        Assert.Equal(FindingSeverity.Warn, Single(analysis, "spf.too-long").Severity);
        Assert.True(analysis.RecordStrings.Count > 1);
        Assert.All(analysis.RecordStrings, s => Assert.True(s.Length <= 255));
    }

    [Fact]
    public async Task Dns_failure_is_a_warning_not_missing()
    {
        var zone = new InMemoryDnsZone().AddFailure("example.test", DnsStatus.ServerFailure);

        Assert.Equal(FindingSeverity.Warn, Single(await AnalyzeAsync(zone, ParleyIp), "spf.dns-error").Severity);
    }

    [Fact]
    public void Long_records_split_into_strings_of_at_most_255()
    {
        var record = "v=spf1 " + string.Join(' ', Enumerable.Range(0, 60).Select(i => $"ip4:203.0.113.{i}")) + " -all";

        var parts = SpfRecordEditor.SplitForTxt(record);

        Assert.Equal(record, string.Concat(parts));
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 255));
        Assert.StartsWith("\"v=spf1 ", SpfRecordEditor.ToZoneText(record));
    }
}
