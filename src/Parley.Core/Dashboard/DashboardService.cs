using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Doctor;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Dashboard;

/// <summary>One domain's line on the home page: its last stored doctor verdict (null when never checked).</summary>
public sealed record DomainStatus(long Id, string Name, FindingSeverity? Verdict, int Failing, int Warnings, DateTimeOffset? CheckedAt);

/// <summary>
/// What needs attention, in figures: the outbox by state, today's traffic (UTC day), inbound mail waiting for an admin,
/// and each domain's last doctor verdict. Read from what is stored; nothing here runs a DNS check.
/// </summary>
public sealed record DashboardFigures(
    IReadOnlyDictionary<DeliveryState, int> Outbox,
    int SentToday,
    int ReceivedToday,
    int BouncedToday,
    int UnroutedWaiting,
    IReadOnlyList<DomainStatus> Domains)
{
    /// <summary>Deliveries a person has to decide on: failed ones (retry or give up) and deferred ones (cancel or wait).</summary>
    public int NeedingDecision => Outbox.GetValueOrDefault(DeliveryState.Failed) + Outbox.GetValueOrDefault(DeliveryState.Deferred);
}

/// <summary>Builds the home page's figures, so the page holds no queries.</summary>
public sealed class DashboardService(ParleyDbContext db, OutboxService outbox, DoctorRunService doctor, TimeProvider clock)
{
    public Task<DashboardFigures> GetAsync(CancellationToken cancellationToken) => GetAsync(TimeZoneInfo.Utc, cancellationToken);

    /// <param name="zone">Where "today" is: the user's day, from her local midnight.</param>
    public async Task<DashboardFigures> GetAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var midnight = TimeZoneInfo.ConvertTime(now, zone).Date;
        var today = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
        var counts = await outbox.CountsAsync(cancellationToken);
        var sent = await db.Outbox.CountAsync(o => o.State == DeliveryState.Sent && o.SentAt >= today, cancellationToken);
        var received = await db.Inbound.CountAsync(i => i.ReceivedAt >= today && i.Status != InboundStatus.Bounce && i.Status != InboundStatus.Duplicate, cancellationToken);
        var bounced = await db.Inbound.CountAsync(i => i.ReceivedAt >= today && i.Status == InboundStatus.Bounce, cancellationToken);
        var unrouted = await db.Inbound.CountAsync(i => InboundAdminService.NeedsAttention.Contains(i.Status), cancellationToken);

        var reports = await doctor.LastReportsAsync(cancellationToken);
        var domains = await db.SendingDomains.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
        var statuses = domains.Select(d => reports.TryGetValue(d.Id, out var r)
            ? new DomainStatus(d.Id, d.Name, r.Findings.Select(f => f.Severity).DefaultIfEmpty(FindingSeverity.Pass).Max(),
                r.Findings.Count(f => f.Severity == FindingSeverity.Fail), r.Findings.Count(f => f.Severity == FindingSeverity.Warn), r.CheckedAt)
            : new DomainStatus(d.Id, d.Name, null, 0, 0, null)).ToList();

        return new DashboardFigures(counts, sent, received, bounced, unrouted, statuses);
    }
}
