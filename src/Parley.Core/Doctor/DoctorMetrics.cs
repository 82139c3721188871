using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Parley.Deliverability;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

/// <summary>
/// The findings of the last doctor run of each sending domain, by severity, as this process saw them (the scheduled
/// run one minute after start fills it in, then every run keeps it current).
/// </summary>
public sealed class DoctorMetrics
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<FindingSeverity, int>> _lastRun = new(StringComparer.OrdinalIgnoreCase);

    public DoctorMetrics(IMeterFactory? meters = null) =>
        ParleyMeter.Create(meters).CreateObservableGauge("parley_doctor_findings", Observe, description: "Findings of each sending domain's last doctor run, by severity");

    public void Checked(string domain, IEnumerable<Finding> findings) =>
        _lastRun[domain] = findings.GroupBy(f => f.Severity).ToDictionary(g => g.Key, g => g.Count());

    private IEnumerable<Measurement<int>> Observe() =>
        from run in _lastRun
        from severity in Enum.GetValues<FindingSeverity>()
        select new Measurement<int>(run.Value.GetValueOrDefault(severity),
            ParleyMeter.Tag("domain", run.Key.ToLowerInvariant()), ParleyMeter.Tag("severity", severity));
}
