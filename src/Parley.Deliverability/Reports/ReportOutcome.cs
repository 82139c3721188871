namespace Parley.Deliverability.Reports;

/// <summary>What one report document inside an input turned out to be.</summary>
public enum ReportKind
{
    /// <summary>A DMARC aggregate report (RFC 7489 appendix C, its drafts, RFC 9990).</summary>
    DmarcAggregate,

    /// <summary>An SMTP TLS report (RFC 8460).</summary>
    TlsRpt,

    /// <summary>A DMARC failure report (ARF with <c>Feedback-Type: auth-failure</c>, RFC 6591), read by the feedback parser.</summary>
    DmarcFailure,

    /// <summary>Not read: <see cref="ReportOutcome.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>
/// One report found in an input (an input may hold several: an email with two attachments, a zip with two files), or
/// one refusal with its reason. Exactly one of <see cref="Dmarc"/>, <see cref="Tls"/>, <see cref="Failure"/> and
/// <see cref="Refusal"/> is set.
/// </summary>
/// <param name="Source">Where in the input it was: "report.xml.gz → report.xml", for messages to an admin.</param>
/// <param name="Failure">A DMARC failure report, as <see cref="Feedback.FeedbackReportParser"/> (the one ARF reader) read it.</param>
public sealed record ReportOutcome(string Source, DmarcAggregateReport? Dmarc, TlsReport? Tls, string? Refusal, Feedback.FeedbackReport? Failure = null)
{
    public ReportKind Kind => Dmarc is not null ? ReportKind.DmarcAggregate
        : Tls is not null ? ReportKind.TlsRpt
        : Failure is not null ? ReportKind.DmarcFailure
        : ReportKind.Refused;

    public static ReportOutcome Refused(string source, string reason) => new(source, null, null, reason);
}

/// <summary>A document that is not a valid report; the message is the reason, in words an admin can act on.</summary>
public sealed class ReportFormatException(string message) : Exception(message);
