namespace Parley.Core.Reports;

/// <summary>What a stored report is.</summary>
public enum ReceivedReportKind { DmarcAggregate, TlsRpt, Refused, DmarcFailure }

/// <summary>
/// One report as it came home: a DMARC aggregate, failure or TLS report, read, or a document that was refused (with the reason).
/// Stored once per reporter and report id. The input it came in is kept raw (<see cref="RawMimeId"/>: the email as
/// received, or the uploaded file). A report about a domain that is not one of Parley's sending domains is kept and
/// flagged (<see cref="IsOurs"/> false), and never counted in a domain's figures.
/// </summary>
public sealed class ReceivedReport
{
    public long Id { get; set; }
    public ReceivedReportKind Kind { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>How it came: mail, api, cli or upload.</summary>
    public string Channel { get; set; } = "";

    /// <summary>Where in the input it was ("report.xml.gz → report.xml").</summary>
    public string Source { get; set; } = "";

    public string? OrgName { get; set; }
    public string? ReportId { get; set; }

    /// <summary>The policy domain (DMARC) or the first policy domain (TLS-RPT).</summary>
    public string? Domain { get; set; }

    public bool IsOurs { get; set; }
    public DateTimeOffset? BeginAt { get; set; }
    public DateTimeOffset? EndAt { get; set; }

    /// <summary>Messages (DMARC) or sessions (TLS-RPT) the report counts.</summary>
    public long Volume { get; set; }

    /// <summary>The published policy the reporter saw (p=, DMARC only).</summary>
    public string? Policy { get; set; }

    /// <summary>The reason it was refused, or the warnings of a report that was read.</summary>
    public string? Problem { get; set; }

    public long? RawMimeId { get; set; }
    public Chatter.RawMime? RawMime { get; set; }
    public long? InboundMessageId { get; set; }
}

/// <summary>A row of a report's figures, read back by domain and day (<see cref="ReportsModel"/> indexes them so).</summary>
public abstract class ReportRow
{
    public long Id { get; set; }
    public long ReceivedReportId { get; set; }
    public ReceivedReport? Report { get; set; }

    /// <summary>The report's policy domain, lower case; copied here so a domain's figures are one indexed range.</summary>
    public string Domain { get; set; } = "";

    /// <summary>The first day of the report's range (UTC midnight).</summary>
    public DateTimeOffset Day { get; set; }
}

/// <summary>One row of an aggregate report: a source IP and what the reporter saw of its mail on that report's day.</summary>
public sealed class DmarcReportRow : ReportRow
{
    public string Reporter { get; set; } = "";
    public string SourceIp { get; set; } = "";
    public long Count { get; set; }
    public string Disposition { get; set; } = "";
    public bool DkimAligned { get; set; }
    public bool SpfAligned { get; set; }

    /// <summary>Best DKIM result in auth_results (pass when any signature passed), and each signature as "domain selector result".</summary>
    public string DkimResult { get; set; } = "none";
    public string? DkimSignatures { get; set; }

    public string SpfResult { get; set; } = "none";
    public string? SpfDomain { get; set; }
    public string HeaderFrom { get; set; } = "";
    public string? EnvelopeFrom { get; set; }

    /// <summary>policy_evaluated reasons ("forwarded", "local_policy: arc=pass").</summary>
    public string? Reasons { get; set; }
}

/// <summary>One policy of a TLS report: its successful and failed session counts.</summary>
public sealed class TlsReportPolicyRow : ReportRow
{
    public string Reporter { get; set; } = "";
    public string PolicyType { get; set; } = "";
    public long Successful { get; set; }
    public long Failed { get; set; }
}

/// <summary>One failure-details entry of a TLS report: sessions to one MX that failed one way.</summary>
public sealed class TlsReportFailureRow : ReportRow
{
    public string ResultType { get; set; } = "";
    public string? ReceivingMx { get; set; }
    public string? ReceivingIp { get; set; }
    public string? SendingIp { get; set; }
    public long Count { get; set; }
    public string? ReasonCode { get; set; }
}
