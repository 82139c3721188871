using Parley.Deliverability.MtaSts;

namespace Parley.Smtp.Tests.Delivery.Tls;

/// <summary>The strict policy parser and the mx matcher of RFC 8461 §3.2 and §4.1.</summary>
public sealed class MtaStsPolicyTests
{
    [Fact]
    public void The_rfc_example_parses()
    {
        // RFC 8461 §3.2's example, with CRLF line ends as served.
        var parse = MtaStsPolicy.Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");

        var policy = Assert.IsType<MtaStsPolicy>(parse.Policy);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(["mail.example.com", "*.example.net", "backupmx.example.com"], policy.MxPatterns);
        Assert.Equal(TimeSpan.FromDays(7), policy.MaxAge);
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 86400\n", "no version line")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 86400\n", "not STSv1")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 86400\n", "is not enforce, testing or none")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\n", "no max_age line")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5\n", "not a number of seconds")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", "longer than the 31557600 seconds")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400\n", "lists no mx host")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.*.example\nmax_age: 86400\n", "is not an mx pattern")]
    [InlineData("<html>version: STSv1</html>\nmode enforce\n", "is not \"key: value\"")]
    public void Malformed_policies_are_refused_with_the_reason(string text, string reason)
    {
        var parse = MtaStsPolicy.Parse(text);

        Assert.Null(parse.Policy);
        Assert.Contains(reason, parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_none_needs_no_mx_and_unknown_keys_are_ignored()
    {
        var policy = MtaStsPolicy.Parse("version: STSv1\nmode: none\nmax_age: 0\nextension: yes\n").Policy;

        Assert.Equal(MtaStsMode.None, Assert.IsType<MtaStsPolicy>(policy).Mode);
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("MAIL.Example.COM.", true)]
    [InlineData("mx1.example.net", true)]
    [InlineData("a.mx1.example.net", false)]
    [InlineData("example.net", false)]
    [InlineData("evil-mail.example.com", false)]
    [InlineData("mail.example.com.evil.test", false)]
    public void Mx_patterns_match_exactly_or_by_one_leading_label(string host, bool matches)
    {
        var policy = new MtaStsPolicy(MtaStsMode.Enforce, ["mail.example.com", "*.example.net"], TimeSpan.FromDays(1));

        Assert.Equal(matches, policy.Matches(host));
    }

    [Theory]
    [InlineData(new[] { "v=STSv1; id=20160831085700Z;" }, "20160831085700Z")]
    [InlineData(new[] { "v=STSv1;id=abc" }, "abc")]
    [InlineData(new[] { "v=STSv1; id=a", "v=STSv1; id=b" }, null)]
    [InlineData(new[] { "v=STSv1;" }, null)]
    [InlineData(new[] { "v=spf1 -all" }, null)]
    [InlineData(new[] { "v=STSv1; id=not-alphanumeric" }, null)]
    public void The_txt_record_gives_one_id_or_none(string[] records, string? id) =>
        Assert.Equal(id, MtaStsPolicy.IdFromTxt(records));
}
