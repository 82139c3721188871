using System.Net;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Tests.Spf;

public sealed class SpfRecordParserTests
{
    [Fact]
    public void Parses_every_kind_of_term()
    {
        var result = SpfRecordParser.Parse("v=spf1 +a -mx:mail.%{d}/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.bl.test include:_spf.test redirect=_r.test exp=why.%{d} x-custom=1 -all");

        var record = Assert.IsType<SpfRecord>(result.Record);
        Assert.Equal(11, record.Terms.Count);
        Assert.Equal(8, record.Mechanisms.Count);
        var mx = record.Mechanisms[1];
        Assert.Equal((SpfMechanismKind.Mx, SpfQualifier.Fail, "mail.%{d}", 24, 64), (mx.Kind, mx.Qualifier, mx.DomainSpec, mx.Cidr4, mx.Cidr6));
        Assert.Equal(IPAddress.Parse("192.0.2.0"), record.Mechanisms[3].Network);
        Assert.Equal("_r.test", record.Redirect!.Value);
        Assert.Equal("why.%{d}", record.Explanation!.Value);
        Assert.Equal(SpfMechanismKind.All, record.Mechanisms[^1].Kind);
    }

    [Theory]
    [InlineData("v=spf1 ip4:1.2.3.4 moo -all", 19, "moo")]
    [InlineData("v=spf1 a:foo.test/33", 7, "a:foo.test/33")]
    [InlineData("v=spf1 ip4:1.2.3.4\r\nptr", 18, "ip4:1.2.3.4\r\nptr")]
    [InlineData("v=spf1 exp=a.test exp=b.test", 18, "exp=b.test")]
    public void Reports_the_first_error_with_its_position(string text, int position, string term)
    {
        var error = Assert.IsType<SpfSyntaxError>(SpfRecordParser.Parse(text).Error);

        Assert.Equal(position, error.Position);
        Assert.Equal(term, error.Term);
    }

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("V=SPF1 -all", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1mx", false)]
    [InlineData("spf2.0/pra", false)]
    public void Recognizes_spf_records(string text, bool expected)
    {
        Assert.Equal(expected, SpfRecordParser.IsSpfRecord(text));
    }
}
