using System.ComponentModel.DataAnnotations;

namespace Parley.Core.Mailings;

/// <summary>The mailing worker's tuning (configuration section "Mailings").</summary>
public sealed class MailingOptions
{
    public const string Section = "Mailings";

    /// <summary>How often the worker looks for mailings due to start, and for sending ones whose outbox work is done.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an unsubscribe link (and mailto: address) of a mailing works after the mailing started.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan UnsubscribeLinksValidFor { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Emails a mailing must have sent before its complaint rate can stop it (one complaint among a few is no rate).</summary>
    [Range(1, 10_000_000)]
    public int ComplaintStopMinimumSent { get; set; } = 1000;

    /// <summary>A mailing to more recipients than this starts only when the doctor finds its sending domain's SPF, DKIM and DMARC in order.</summary>
    [Range(0, 100_000_000)]
    public int AlignmentGateRecipients { get; set; } = 5000;

    /// <summary>The language of contacts who have none, and of a template's own subject and body.</summary>
    [RegularExpression("^[A-Za-z0-9-]{2,35}$", ErrorMessage = "Mailings:DefaultLanguage must be a language tag such as en, fr or pt-br.")]
    public string DefaultLanguage { get; set; } = "en";
}
