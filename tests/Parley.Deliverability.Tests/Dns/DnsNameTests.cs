using System.Net;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Tests.Dns;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("Example.COM.", "example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("foo:bar/baz.example.com", "foo:bar/baz.example.com")]
    public void Normalizes(string input, string expected)
    {
        Assert.True(DnsName.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData(".a.b")]
    public void Rejects(string? input)
    {
        Assert.False(DnsName.TryNormalize(input, out _));
    }

    [Fact]
    public void Rejects_names_over_253()
    {
        var name = string.Join('.', Enumerable.Repeat("abcdefghi", 26));
        Assert.True(name.Length > 253);
        Assert.False(DnsName.TryNormalize(name, out _));
    }

    [Theory]
    [InlineData("192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [InlineData("::ffff:192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void Reverse_names(string ip, string expected)
    {
        Assert.Equal(expected, DnsName.ReverseName(IPAddress.Parse(ip)));
    }

    [Theory]
    [InlineData("mail.example.com", "example.com", true)]
    [InlineData("Example.COM.", "example.com", true)]
    [InlineData("badexample.com", "example.com", false)]
    [InlineData("example.com", "mail.example.com", false)]
    public void Subdomains(string name, string parent, bool expected)
    {
        Assert.Equal(expected, DnsName.IsSameOrSubdomain(name, parent));
    }
}
