namespace Parley.Hosting;

/// <summary>
/// A setting `parley serve` was given cannot work (a file that cannot be read, an address that cannot be parsed). The
/// command prints the message, which says what to give instead, and exits 78 (EX_CONFIG) rather than a stack trace.
/// </summary>
public sealed class StartupConfigurationException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>EX_CONFIG from sysexits.h: what service managers and scripts read as "fix the configuration".</summary>
    public const int ExitCode = 78;

    /// <summary>
    /// The configuration error in <paramref name="e"/> or its inner exceptions (the host may wrap it); options that
    /// failed their validation count too.
    /// </summary>
    public static StartupConfigurationException? Find(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is StartupConfigurationException found)
            {
                return found;
            }

            if (x is Microsoft.Extensions.Options.OptionsValidationException invalid)
            {
                return new StartupConfigurationException(invalid.Message, invalid);
            }
        }
        return null;
    }
}
