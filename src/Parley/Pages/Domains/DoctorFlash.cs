using Parley.Core.Doctor;
using Parley.Deliverability.Doctor;

namespace Parley.Pages.Domains;

/// <summary>The one-line message shown after "Check now".</summary>
public static class DoctorFlash
{
    public static string For(DoctorRunResult run)
    {
        if (run.Report.Findings.FirstOrDefault(f => f.Id == DoctorReport.TemporaryFailureId) is { } silence)
        {
            return $"Could not check {run.Report.Domain}: {silence.Detail}";
        }

        var fails = run.Report.Findings.Count(f => f.Severity == FindingSeverity.Fail);
        var warns = run.Report.Findings.Count(f => f.Severity == FindingSeverity.Warn);
        var verdict = fails > 0
            ? $"{fails} check{(fails == 1 ? "" : "s")} fail{(fails == 1 ? "s" : "")}: publish the records shown below."
            : warns > 0 ? $"Nothing fails; {warns} warning{(warns == 1 ? "" : "s")} to look at." : "Every check passes.";
        return $"Checked {run.Report.Domain}. {verdict}" + (run.Event is not null && run.Change is { IsFirst: false } change ? $" Changes since the last check: {change.Summary}." : "");
    }
}
