using System.Globalization;

namespace Parley.Core.Mailings;

/// <summary>
/// The bulk-sender rules providers set (Gmail, Yahoo): complaints under 0.3 % of the mail sent, a warning from 0.1 %.
/// Rates are of the emails handed to a server (<see cref="MailingCounts.Sent"/>).
/// </summary>
public static class MailingRules
{
    public const double ComplaintWarningRate = 0.001;
    public const double ComplaintStopRate = 0.003;

    public static double ComplaintRate(MailingCounts counts) => counts.Sent == 0 ? 0 : (double)counts.Complained / counts.Sent;

    public static double BounceRate(MailingCounts counts) => counts.Sent == 0 ? 0 : (double)counts.Bounced / counts.Sent;

    /// <summary>What to tell the sender about the rates, or null when they are fine.</summary>
    public static string? Warning(MailingCounts counts)
    {
        var rate = ComplaintRate(counts);
        if (rate > ComplaintStopRate)
        {
            return $"Complaints are at {Percent(rate)} of the emails sent, past the 0.3 % providers tolerate: their filters will send your mail to spam.";
        }
        return rate > ComplaintWarningRate
            ? $"Complaints are at {Percent(rate)} of the emails sent, above 0.1 %: providers start to filter from here, and stop at 0.3 %."
            : null;
    }

    /// <summary>Whether a sending mailing must stop: past 0.3 % over at least <paramref name="minimumSent"/> emails.</summary>
    public static bool MustStop(int complained, int sent, int minimumSent) =>
        sent >= minimumSent && complained > 0 && (double)complained / sent > ComplaintStopRate;

    public static string Percent(double rate) => (rate * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
