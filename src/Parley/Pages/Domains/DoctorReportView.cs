using Parley.Core.Doctor;
using Parley.Deliverability.Doctor;

namespace Parley.Pages.Domains;

/// <summary>What the doctor partial shows for one domain: its last report (null when never checked), grouped by area.</summary>
public sealed record DoctorReportView(long DomainId, string Domain, DoctorReport? Report, bool ShowHistoryLink = true)
{
    public IEnumerable<IGrouping<string, Finding>> Areas =>
        Report is null ? [] : Report.Findings.GroupBy(f => f.AreaOf()).OrderBy(g => g.Key == "setup" ? -1 : FindingAreas.Rank(g.Key));

    public int Count(FindingSeverity severity) => Report?.Findings.Count(f => f.Severity == severity) ?? 0;

    public static string AreaLabel(string area) => area == "setup" ? "Parley's setup" : DoctorChange.AreaName(area);

    public static string Token(FindingSeverity severity) => DoctorReportJson.SeverityToken(severity);

    public static FindingSeverity Worst(IEnumerable<Finding> findings) => findings.Select(f => f.Severity).DefaultIfEmpty(FindingSeverity.Pass).Max();
}
