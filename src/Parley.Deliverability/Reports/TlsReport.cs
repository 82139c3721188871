namespace Parley.Deliverability.Reports;

/// <summary>One failure-details entry of a TLS report: sessions that failed one way.</summary>
public sealed record TlsFailureDetail(string ResultType, string? SendingMtaIp, string? ReceivingMx, string? ReceivingIp, long FailedSessions, string? ReasonCode);

/// <summary>One policy of a TLS report (sts, tlsa or no-policy-found) with its session counts.</summary>
public sealed record TlsReportPolicy(string PolicyType, string PolicyDomain, IReadOnlyList<string> MxHosts, long Successful, long Failed, IReadOnlyList<TlsFailureDetail> Failures);

/// <summary>An SMTP TLS report (RFC 8460 §4).</summary>
public sealed record TlsReport(string OrgName, string ReportId, DateTimeOffset Start, DateTimeOffset End, string? ContactInfo, IReadOnlyList<TlsReportPolicy> Policies);
