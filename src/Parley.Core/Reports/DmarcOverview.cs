namespace Parley.Core.Reports;

/// <summary>What a source that sends as the domain is, judged from the reports and Parley's own routes.</summary>
public enum SourceVerdict
{
    /// <summary>One of Parley's own routes (this server, or a relay it sends through).</summary>
    ParleyRoute,

    /// <summary>A forwarder or mailing list: the reporter said so (or ARC), or our DKIM passes while our SPF fails there.</summary>
    KnownForwarder,

    /// <summary>Another service that passes DMARC (aligned SPF or DKIM): the domain authorised it.</summary>
    AuthorisedSender,

    /// <summary>SPF or DKIM passes, but not aligned with the domain: a real service set up halfway.</summary>
    FailingLegitimate,

    /// <summary>Nothing passes: someone sending as the domain without any right to.</summary>
    SuspectedForgery,
}

/// <summary>One source IP over the period, all its reports together.</summary>
/// <param name="Compliant">Messages that passed DMARC (aligned SPF or aligned DKIM).</param>
/// <param name="Why">The verdict in words: the route it is, or what failed.</param>
public sealed record DmarcSource(
    string Ip, string? Ptr, long Count, long Compliant,
    string SpfResult, bool SpfAligned, string DkimResult, bool DkimAligned, IReadOnlyList<string> Selectors,
    string Disposition, SourceVerdict Verdict, string Why, IReadOnlyList<string> Reporters);

/// <summary>One day's volume: all messages, and those that passed DMARC.</summary>
public sealed record DmarcDay(DateOnly Day, long Messages, long Compliant);

public sealed record DmarcTotals(long Messages, long Compliant, double CompliancePercent, int Sources, int Reports, IReadOnlyDictionary<SourceVerdict, long> ByVerdict);

/// <summary>What to do with the policy: tighten it (with the exact record), hold, or a warning that something real fails.</summary>
/// <param name="Kind">tighten, hold, warn or wait.</param>
public sealed record DmarcAdvice(string Kind, string Text, string? RecordName = null, string? Record = null);

/// <summary>Failed TLS sessions towards one MX of one kind (RFC 8460 result types).</summary>
public sealed record TlsFailureSummary(string ReceivingMx, string ResultType, long Sessions);

public sealed record TlsOverview(long Successful, long Failed, int Reports, IReadOnlyList<TlsFailureSummary> Failures);

/// <summary>A sending domain's reports over a period: sources with verdicts, totals, daily volume, advice, and TLS-RPT.</summary>
public sealed record DmarcOverview(
    string Domain, DateOnly From, DateOnly To, string? PublishedRecord,
    IReadOnlyList<DmarcSource> Sources, DmarcTotals Totals, IReadOnlyList<DmarcDay> Daily, IReadOnlyList<DmarcAdvice> Advice, TlsOverview Tls);
