using System.Net;

namespace Parley.Deliverability.Reports;

/// <summary>Which schema an aggregate report follows.</summary>
public enum DmarcReportSchema
{
    /// <summary>No version element: the drafts before RFC 7489 (still sent by some receivers).</summary>
    Draft,

    /// <summary>RFC 7489 appendix C (version 1.0).</summary>
    Rfc7489,

    /// <summary>RFC 9990 (namespace urn:ietf:params:xml:ns:dmarc-2.0).</summary>
    Rfc9990,
}

/// <summary>The policy the reporter found published (policy_published).</summary>
public sealed record DmarcPublishedPolicy(string Domain, string? Policy, string? SubdomainPolicy, string? DkimAlignment, string? SpfAlignment, int? Percent, bool Testing);

/// <summary>One DKIM result in auth_results.</summary>
public sealed record DmarcDkimAuth(string Domain, string? Selector, string Result);

/// <summary>One SPF result in auth_results.</summary>
public sealed record DmarcSpfAuth(string Domain, string? Scope, string Result);

/// <summary>
/// One record (row) of an aggregate report: a source IP, how many messages it sent in the period, and what the reporter
/// concluded. <see cref="DkimAligned"/> and <see cref="SpfAligned"/> are policy_evaluated's DMARC results (a pass there
/// is an aligned pass); <see cref="Dkim"/> and <see cref="Spf"/> are the raw authentication results, aligned or not.
/// </summary>
public sealed record DmarcReportRecord(
    IPAddress SourceIp,
    long Count,
    string Disposition,
    bool DkimAligned,
    bool SpfAligned,
    IReadOnlyList<string> Reasons,
    string HeaderFrom,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    IReadOnlyList<DmarcDkimAuth> Dkim,
    IReadOnlyList<DmarcSpfAuth> Spf);

/// <summary>A DMARC aggregate report as the reporter sent it.</summary>
public sealed record DmarcAggregateReport(
    DmarcReportSchema Schema,
    string OrgName,
    string? Email,
    string ReportId,
    DateTimeOffset Begin,
    DateTimeOffset End,
    DmarcPublishedPolicy Policy,
    IReadOnlyList<DmarcReportRecord> Records,
    IReadOnlyList<string> Warnings)
{
    public long MessageCount => Records.Sum(r => r.Count);
}
