using Parley.Smtp.Listener;

namespace Parley.Smtp.Tests.Listener;

public sealed class SmtpListenerOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new SmtpListenerOptionsValidator().Validate(null, new SmtpListenerOptions { ServerName = "mx.parley.test" }).Succeeded);
    }

    [Fact]
    public void Limits_below_rfc_5321_minimums_are_refused()
    {
        var result = new SmtpListenerOptionsValidator().Validate(null, new SmtpListenerOptions
        {
            ServerName = "mx parley",
            Port = 70000,
            MaxLineLength = 998,
            MaxCommandLineLength = 100,
            MaxRecipients = 0,
            CommandTimeout = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        Assert.Equal(6, result.Failures!.Count());
    }

    [Fact]
    public void Header_limit_smaller_than_one_line_is_refused()
    {
        var validator = new SmtpListenerOptionsValidator();

        var tooSmall = validator.Validate(null, new SmtpListenerOptions { ServerName = "mx.parley.test", MaxHeaderSize = 999 });
        var oneLine = validator.Validate(null, new SmtpListenerOptions { ServerName = "mx.parley.test", MaxHeaderSize = 1000 });

        Assert.Contains("MaxHeaderSize", Assert.Single(tooSmall.Failures!), StringComparison.Ordinal);
        Assert.True(oneLine.Succeeded);
    }
}
