using Microsoft.Extensions.Options;

namespace Parley.Smtp.Listener;

/// <summary>Refuses listener settings that would break RFC 5321 minimums or make no sense.</summary>
internal sealed class SmtpListenerOptionsValidator : IValidateOptions<SmtpListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpListenerOptions options)
    {
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Port {options.Port} is not a TCP port.");
        }

        if (string.IsNullOrWhiteSpace(options.ServerName) || options.ServerName.Any(char.IsWhiteSpace))
        {
            failures.Add("ServerName must be a host name.");
        }

        if (options.MaxCommandLineLength < 512)
        {
            failures.Add("MaxCommandLineLength must be at least 512 (RFC 5321 §4.5.3.1.4).");
        }

        if (options.MaxLineLength < 1000)
        {
            failures.Add("MaxLineLength must be at least 1000 (RFC 5321 §4.5.3.1.6).");
        }

        if (options.MaxHeaderSize < options.MaxLineLength)
        {
            failures.Add("MaxHeaderSize must be at least MaxLineLength, so that one full header line fits.");
        }

        if (options.MaxRecipients < 1 || options.MaxMessageSize < 1 || options.MaxConnectionsPerIp < 1 || options.MaxConnections < 1 || options.MaxErrors < 1)
        {
            failures.Add("MaxRecipients, MaxMessageSize, MaxConnectionsPerIp, MaxConnections and MaxErrors must be positive.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero || options.DataTimeout <= TimeSpan.Zero || options.MaxSessionTime <= TimeSpan.Zero
            || options.IdleTimeoutBeforeMail <= TimeSpan.Zero || options.IdleTimeoutBeforeMailWhenBusy <= TimeSpan.Zero)
        {
            failures.Add("CommandTimeout, IdleTimeoutBeforeMail, IdleTimeoutBeforeMailWhenBusy, DataTimeout and MaxSessionTime must be positive.");
        }

        if (options.ReservedShareForNewAddresses is < 0 or >= 1)
        {
            failures.Add("ReservedShareForNewAddresses must be at least 0 and less than 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
