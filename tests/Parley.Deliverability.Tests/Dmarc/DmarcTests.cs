using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Tests.Dmarc;

public sealed class DmarcRecordParserTests
{
    [Fact]
    public void Parses_rfc7489_and_dmarcbis_tags()
    {
        var record = DmarcRecordParser.Parse("v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=s; aspf=r; pct=50; rua=mailto:agg@example.test!10m,mailto:other@example.net; ruf=mailto:f@example.test; fo=1; ri=3600").Record!;

        Assert.Equal((DmarcPolicy.Reject, DmarcPolicy.Quarantine, DmarcPolicy.Reject), (record.Policy, record.SubdomainPolicy, record.NonExistentSubdomainPolicy));
        Assert.Equal((DmarcPsd.No, true, DmarcAlignment.Strict, DmarcAlignment.Relaxed, 50), (record.Psd, record.TestMode, record.DkimAlignment, record.SpfAlignment, record.Percent));
        Assert.Equal(["agg@example.test", "other@example.net"], record.AggregateReportUris.Select(u => u.Mailbox));
        Assert.Equal("10m", record.AggregateReportUris[0].SizeLimit);
        Assert.Equal(("1", 3600), (record.FailureOptions, record.ReportInterval));
        Assert.Empty(record.Warnings);
    }

    [Fact]
    public void Defaults_apply_and_subdomain_policies_inherit()
    {
        var record = DmarcRecordParser.Parse("v=DMARC1;p=quarantine").Record!;

        Assert.Equal((DmarcPolicy.Quarantine, DmarcPolicy.Quarantine), (record.SubdomainPolicy, record.NonExistentSubdomainPolicy));
        Assert.Equal((DmarcAlignment.Relaxed, DmarcAlignment.Relaxed, 100, 86400), (record.DkimAlignment, record.SpfAlignment, record.Percent, record.ReportInterval));
    }

    [Theory]
    [InlineData("v=DMARC1; rua=mailto:a@example.test", "p= is missing")]
    [InlineData("v=DMARC1; p=block", "p=block is not")]
    [InlineData("v=DMARC1; p=none; pct=150", "pct=150")]
    [InlineData("v=DMARC1; p=none; rua=agg@example.test", "not a valid URI")]
    [InlineData("v=DMARC1; p=none; foo=bar", "unknown tag 'foo'")]
    [InlineData("v=DMARC1; p=none; p=reject", "more than once")]
    public void Problems_degrade_with_warnings(string text, string warning)
    {
        var record = DmarcRecordParser.Parse(text).Record!;

        Assert.Contains(record.Warnings, w => w.Contains(warning, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("p=reject; v=DMARC1")]
    [InlineData("v=DMARC2; p=reject")]
    [InlineData("v=spf1 -all")]
    [InlineData("")]
    public void Not_dmarc_records(string text)
    {
        Assert.False(DmarcRecordParser.Parse(text).IsValid);
    }

    [Fact]
    public void Whitespace_around_equals_is_allowed()
    {
        Assert.True(DmarcRecordParser.Parse("v = DMARC1 ; p = none").IsValid);
    }
}

public sealed class DmarcDiscoveryTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public void Walk_jumps_to_seven_labels_for_long_names()
    {
        var names = DmarcDiscovery.WalkNames("a.b.c.d.e.f.g.h.i.example.com");

        Assert.Equal("a.b.c.d.e.f.g.h.i.example.com", names[0]);
        Assert.Equal("e.f.g.h.i.example.com", names[1]);
        Assert.Equal("com", names[^1]);
        Assert.Equal(8, names.Count);
        Assert.Equal(["mail.example.com", "example.com", "com"], DmarcDiscovery.WalkNames("Mail.Example.com."));
    }

    [Fact]
    public async Task Policy_is_inherited_from_up_the_tree()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine")
            .AddTxt("_dmarc.other.example.com", "v=spf1 -all");

        var result = await new DmarcDiscovery(zone).FindPolicyAsync("mail.other.example.com", Ct);

        Assert.Equal(("example.com", DmarcPolicy.Quarantine), (result.Domain, result.Record!.SubdomainPolicy));
    }

    [Fact]
    public async Task Dns_failure_is_temperror_and_duplicate_records_are_ignored()
    {
        var zone = new InMemoryDnsZone()
            .AddFailure("_dmarc.broken.test", DnsStatus.Timeout)
            .AddTxt("_dmarc.twice.test", "v=DMARC1; p=none")
            .AddTxt("_dmarc.twice.test", "v=DMARC1; p=reject");

        Assert.Equal(DmarcLookupStatus.TempError, (await new DmarcDiscovery(zone).FindPolicyAsync("broken.test", Ct)).Status);
        Assert.Equal(DmarcLookupStatus.None, (await new DmarcDiscovery(zone).LookupAsync("twice.test", Ct)).Status);
    }

    [Fact]
    public async Task Organizational_domain_uses_psd_and_shortest_record()
    {
        var zone = new InMemoryDnsZone()
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject")
            .AddTxt("_dmarc.dept.example.com", "v=DMARC1; p=none")
            .AddTxt("_dmarc.gov.test", "v=DMARC1; p=reject; psd=y")
            .AddTxt("_dmarc.agency.gov.test", "v=DMARC1; p=none")
            .AddTxt("_dmarc.corp.test", "v=DMARC1; p=none; psd=n")
            .AddTxt("_dmarc.test", "v=DMARC1; p=none");
        var discovery = new DmarcDiscovery(zone);

        Assert.Equal("example.com", await discovery.FindOrganizationalDomainAsync("mail.dept.example.com", Ct));
        Assert.Equal("agency.gov.test", await discovery.FindOrganizationalDomainAsync("x.y.agency.gov.test", Ct));
        Assert.Equal("corp.test", await discovery.FindOrganizationalDomainAsync("a.corp.test", Ct));
        Assert.Equal("nothing.invalid", await discovery.FindOrganizationalDomainAsync("nothing.invalid", Ct));
    }
}
