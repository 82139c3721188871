using System.Net;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Tests.Dns;

public sealed class InMemoryDnsZoneTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Absent_name_is_nxdomain_and_present_name_without_type_is_nodata()
    {
        var zone = new InMemoryDnsZone().AddA("a.test", "192.0.2.1");

        Assert.Equal(DnsStatus.NxDomain, (await zone.QueryTxtAsync("b.test", Ct)).Status);
        var nodata = await zone.QueryTxtAsync("a.test", Ct);
        Assert.Equal(DnsStatus.NoData, nodata.Status);
        Assert.True(nodata.IsVoid);
        Assert.False(nodata.IsTemporaryFailure);
    }

    [Fact]
    public async Task Names_are_case_and_trailing_dot_insensitive()
    {
        var zone = new InMemoryDnsZone().AddA("Mail.Example.TEST.", "192.0.2.1");

        var answer = await zone.QueryAAsync("mail.example.test", Ct);

        Assert.True(answer.IsFound);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.IsType<DnsAddressRecord>(Assert.Single(answer.Records)).Address);
    }

    [Fact]
    public async Task Txt_keeps_character_strings_and_joins_without_separator()
    {
        var zone = new InMemoryDnsZone().AddTxt("a.test", "v=spf1 ip4:", "192.0.2.5 -all");

        var txt = Assert.IsType<DnsTxtRecord>(Assert.Single((await zone.QueryTxtAsync("a.test", Ct)).Records));

        Assert.Equal(["v=spf1 ip4:", "192.0.2.5 -all"], txt.Strings);
        Assert.Equal("v=spf1 ip4:192.0.2.5 -all", txt.Text);
    }

    [Fact]
    public async Task Timeout_applies_to_types_without_records()
    {
        var zone = new InMemoryDnsZone().AddTxt("a.test", "hello").AddFailure("a.test", DnsStatus.Timeout);

        Assert.True((await zone.QueryTxtAsync("a.test", Ct)).IsFound);
        var mx = await zone.QueryMxAsync("a.test", Ct);
        Assert.Equal(DnsStatus.Timeout, mx.Status);
        Assert.True(mx.IsTemporaryFailure);
    }

    [Fact]
    public async Task Servfail_can_be_planted_for_one_type()
    {
        var zone = new InMemoryDnsZone().AddA("a.test", "192.0.2.1").AddFailure("a.test", DnsStatus.ServerFailure, DnsRecordType.Mx);

        Assert.Equal(DnsStatus.ServerFailure, (await zone.QueryMxAsync("a.test", Ct)).Status);
        Assert.Equal(DnsStatus.NoData, (await zone.QueryTxtAsync("a.test", Ct)).Status);
    }

    [Fact]
    public async Task Cname_chains_are_followed_and_loops_are_servfail()
    {
        var zone = new InMemoryDnsZone()
            .AddCname("alias.test", "middle.test.")
            .AddCname("middle.test", "target.test")
            .AddTxt("target.test", "v=spf1 -all")
            .AddCname("loop1.test", "loop2.test")
            .AddCname("loop2.test", "LOOP1.test.");

        var followed = await zone.QueryTxtAsync("alias.test", Ct);
        Assert.Equal("target.test", Assert.Single(followed.Records).Name);
        Assert.Equal(DnsStatus.ServerFailure, (await zone.QueryTxtAsync("loop1.test", Ct)).Status);
        Assert.Equal("middle.test", Assert.IsType<DnsCnameRecord>(Assert.Single((await zone.QueryCnameAsync("alias.test", Ct)).Records)).Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..test")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901234.test")]
    public async Task Invalid_names_answer_invalid_name_without_throwing(string name)
    {
        var answer = await new InMemoryDnsZone().QueryTxtAsync(name, Ct);

        Assert.Equal(DnsStatus.InvalidName, answer.Status);
    }

    [Fact]
    public async Task Idn_names_are_queried_as_a_labels()
    {
        var zone = new InMemoryDnsZone().AddA("xn--bcher-kva.example", "192.0.2.7");

        Assert.True((await zone.QueryAAsync("Bücher.example.", Ct)).IsFound);
    }

    [Fact]
    public async Task Ptr_by_address_uses_reverse_names_and_authenticated_flag_is_carried()
    {
        var zone = new InMemoryDnsZone { Authenticated = true }
            .AddPtr("4.2.0.192.in-addr.arpa", "mail.example.test.")
            .AddPtr(DnsName.ReverseName(IPAddress.Parse("2001:db8::1")), "v6.example.test");

        var v4 = await zone.QueryPtrAsync(IPAddress.Parse("192.0.2.4"), Ct);
        var v6 = await zone.QueryPtrAsync(IPAddress.Parse("2001:db8::1"), Ct);

        Assert.Equal("mail.example.test", Assert.IsType<DnsPtrRecord>(Assert.Single(v4.Records)).Target);
        Assert.True(v4.Authenticated);
        Assert.True(v6.IsFound);
    }
}
