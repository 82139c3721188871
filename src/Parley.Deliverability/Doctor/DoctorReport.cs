namespace Parley.Deliverability.Doctor;

/// <summary>The result of one doctor run: findings grouped by area in a fixed order (spf, dkim, dmarc, mx, ptr, …).</summary>
public sealed record DoctorReport(string Domain, DateTimeOffset CheckedAt, IReadOnlyList<Finding> Findings)
{
    /// <summary>How long the checks took (not part of the JSON shape; for logs and benchmarks).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The one finding of a report whose DNS server did not answer: a temperror, nothing about the domain.</summary>
    public const string TemporaryFailureId = "doctor.temperror";

    public bool HasFailures => Findings.Any(f => f.Severity == FindingSeverity.Fail);

    /// <summary>Nothing was checked because DNS did not answer; such a report says nothing about the domain.</summary>
    public bool IsTemporaryFailure => Findings.Any(f => f.Id == TemporaryFailureId);
}

/// <summary>The area of a finding is the first part of its dotted id ("spf", "dkim", "mta-sts"…).</summary>
public static class FindingAreas
{
    /// <summary>The order in which the report shows areas.</summary>
    public static readonly IReadOnlyList<string> Order = ["doctor", "spf", "dkim", "dmarc", "mx", "host", "ptr", "dnsbl", "mta-sts", "tls-rpt", "bimi", "dnssec"];

    public static string AreaOf(this Finding finding)
    {
        int dot = finding.Id.IndexOf('.');
        return dot > 0 ? finding.Id[..dot] : finding.Id;
    }

    public static int Rank(string area)
    {
        for (int i = 0; i < Order.Count; i++)
        {
            if (Order[i] == area)
            {
                return i;
            }
        }

        return Order.Count;
    }
}
