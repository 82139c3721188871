using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Domains;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

/// <summary>One doctor run: the report, what changed since the run before it, and the event posted for that change.</summary>
public sealed record DoctorRunResult(DoctorReport Report, DoctorChange? Change, ChatterMessage? Event);

/// <summary>
/// Runs the doctor for a sending domain against Parley's own setup (the "Check now" button, the API
/// and the schedule all come here), keeps the report as the domain's last run, and posts an event
/// to the domain's Deliverability chatter when the findings changed since the previous run. A run
/// whose DNS server did not answer is neither kept nor posted.
/// </summary>
public sealed class DoctorRunService(
    ParleyDbContext db,
    SendingDomainService domains,
    DoctorSetupBuilder setups,
    DomainDoctor doctor,
    DoctorNotifier notifier,
    DoctorMetrics metrics)
{
    /// <summary>The sending domain behind a Deliverability record (its id is the domain's id).</summary>
    public async Task<SendingDomain> GetDomainAsync(long id, CancellationToken cancellationToken) =>
        await db.SendingDomains.AsNoTracking().Include(d => d.Keys).FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Sending domain {id}");

    public async Task<DoctorRunResult> RunAsync(string domain, CancellationToken cancellationToken) =>
        await RunAsync(await domains.GetAsync(domain, cancellationToken), cancellationToken);

    public async Task<DoctorRunResult> RunAsync(SendingDomain domain, CancellationToken cancellationToken)
    {
        var (setup, notes) = await setups.BuildAsync(domain, cancellationToken);
        var checkedReport = await doctor.CheckAsync(setup, cancellationToken);
        var report = checkedReport with { Findings = [.. notes, .. checkedReport.Findings] };
        // An unanswered check is no news about the domain: the last real report stays, and nobody is told.
        if (report.IsTemporaryFailure)
        {
            return new DoctorRunResult(report, null, null);
        }

        metrics.Checked(domain.Name, report.Findings);
        var previous = await LastAsync(domain.Id, cancellationToken);

        var run = new DoctorRun { SendingDomainId = domain.Id, CheckedAt = report.CheckedAt, FindingsJson = DoctorReportJson.Serialize(report, indented: false) };
        db.DoctorRuns.Add(run);
        var change = DoctorChange.Between(previous?.Report, report);
        // The notifier's SaveChanges also stores the run: the new "last run" and its event go in together.
        var posted = change is null ? null : await notifier.PostAsync(domain, change, report, cancellationToken);
        if (posted is null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        await db.DoctorRuns.Where(r => r.SendingDomainId == domain.Id && r.Id < run.Id).ExecuteDeleteAsync(cancellationToken);
        return new DoctorRunResult(report, change, posted);
    }

    /// <summary>The last stored report of a domain, or null when it was never checked.</summary>
    public async Task<(DoctorReport Report, DateTimeOffset CheckedAt)?> LastAsync(long sendingDomainId, CancellationToken cancellationToken)
    {
        var row = await db.DoctorRuns.AsNoTracking().Where(r => r.SendingDomainId == sendingDomainId)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return row is not null && DoctorReportReader.TryRead(row.FindingsJson) is { } report ? (report, row.CheckedAt) : null;
    }

    /// <summary>The last report of every domain that has one, by sending domain id.</summary>
    public async Task<Dictionary<long, DoctorReport>> LastReportsAsync(CancellationToken cancellationToken)
    {
        var rows = await db.DoctorRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var result = new Dictionary<long, DoctorReport>();
        foreach (var row in rows)
        {
            if (DoctorReportReader.TryRead(row.FindingsJson) is { } report)
            {
                result[row.SendingDomainId] = report;
            }
        }

        return result;
    }
}
