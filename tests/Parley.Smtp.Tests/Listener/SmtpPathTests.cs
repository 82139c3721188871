using Parley.Smtp.Listener.Protocol;

namespace Parley.Smtp.Tests.Listener;

public sealed class SmtpPathTests
{
    [Theory]
    [InlineData("FROM:<a@b.test>", "a@b.test")]
    [InlineData("from:<a@b.test>", "a@b.test")]
    [InlineData("FROM: <a@b.test>", "a@b.test")]
    [InlineData("FROM:a@b.test", "a@b.test")]
    [InlineData("FROM:<>", "")]
    [InlineData("FROM:<@relay.test,@other.test:a@b.test>", "a@b.test")]
    [InlineData("FROM:<\"john doe\"@b.test>", "\"john doe\"@b.test")]
    [InlineData("FROM:<\"a>b\"@b.test>", "\"a>b\"@b.test")]
    [InlineData("FROM:<a@[192.0.2.1]>", "a@[192.0.2.1]")]
    [InlineData("FROM:<a@[IPv6:2001:db8::1]>", "a@[IPv6:2001:db8::1]")]
    [InlineData("FROM:<o'brien+tag@b-c.test>", "o'brien+tag@b-c.test")]
    public void Valid_paths_parse(string arguments, string address)
    {
        Assert.True(SmtpPath.TryParse(arguments, "FROM", out var path, out var error), error.ToString());
        Assert.Equal(address, path!.Address);
    }

    [Theory]
    [InlineData("FROM:<a@b.test")]
    [InlineData("FROM:<a@b.test>x")]
    [InlineData("FROM:")]
    [InlineData("<a@b.test>")]
    [InlineData("FROM:<a@>")]
    [InlineData("FROM:<@b.test>")]
    [InlineData("FROM:<a..b@b.test>")]
    [InlineData("FROM:<a b@b.test>")]
    [InlineData("FROM:<a@b..test>")]
    [InlineData("FROM:<a@-b.test>")]
    [InlineData("FROM:<a@[300.1.1.1]>")]
    [InlineData("FROM:<postmaster>")]
    [InlineData("FROM:<a@b.test> SIZE")]
    public void Invalid_paths_are_refused(string arguments)
    {
        var parsed = SmtpPath.TryParse(arguments, "FROM", out _, out var error);
        if (arguments.EndsWith("SIZE", StringComparison.Ordinal))
        {
            // A keyword without value is syntactically fine; SIZE's check happens in the session.
            Assert.True(parsed);
            return;
        }

        Assert.False(parsed);
        Assert.Equal(501, error.Code);
    }

    [Fact]
    public void Parameters_are_collected_case_insensitively()
    {
        Assert.True(SmtpPath.TryParse("FROM:<a@b.test> size=100 BODY=8BITMIME SMTPUTF8", "FROM", out var path, out _));
        Assert.Equal("100", path!.Parameters["SIZE"]);
        Assert.Equal("8BITMIME", path.Parameters["body"]);
        Assert.Null(path.Parameters["SMTPUTF8"]);
    }

    [Fact]
    public void Postmaster_without_domain_is_a_valid_recipient_only()
    {
        Assert.True(SmtpPath.TryParse("TO:<Postmaster>", "TO", out var path, out _));
        Assert.Equal("Postmaster", path!.Address);
        Assert.False(SmtpPath.TryParse("TO:<>", "TO", out _, out _));
    }
}
