using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Mailings;

/// <summary>
/// One pass of the mailing worker: starts the scheduled mailings that are due, queues the sending ones whose recipients
/// are not all queued yet (<see cref="MailingQueuer"/>), and marks sent those with nothing left in the outbox. Every
/// state change is an UPDATE that re-checks the state, so several nodes can run passes side by side.
/// </summary>
public sealed partial class MailingScheduler(
    ParleyDbContext db,
    MailingQueuer queuer,
    MailingService mailings,
    Microsoft.Extensions.Options.IOptions<MailingOptions> options,
    MailingProgress progress,
    DatabaseWriteGate writeGate,
    TimeProvider clock,
    ILogger<MailingScheduler> logger)
{
    /// <returns>When the next scheduled mailing is due (null: none is scheduled).</returns>
    public async Task<DateTimeOffset?> RunPassAsync(string leaseOwner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Mailings.AsNoTracking().Where(m => m.State == MailingState.Scheduled && m.ScheduledAt <= now)
            .Select(m => m.Id).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            await StartAsync(id, now, cancellationToken);
        }

        var toQueue = await db.Mailings.AsNoTracking()
            .Where(m => m.State == MailingState.Sending && m.QueuedAt == null && (m.QueueLeaseUntil == null || m.QueueLeaseUntil < now || m.QueueLeaseOwner == leaseOwner))
            .Select(m => m.Id).ToListAsync(cancellationToken);
        foreach (var id in toQueue)
        {
            await queuer.QueueAsync(id, leaseOwner, cancellationToken);
        }

        var queued = await db.Mailings.AsNoTracking().Where(m => m.State == MailingState.Sending && m.QueuedAt != null)
            .Where(m => !db.Outbox.Any(o => o.MailingId == m.Id && (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred)))
            .Select(m => m.Id).ToListAsync(cancellationToken);
        foreach (var id in queued)
        {
            await FinishAsync(id, cancellationToken);
        }

        await StopPastComplaintLineAsync(cancellationToken);

        return await db.Mailings.AsNoTracking().Where(m => m.State == MailingState.Scheduled)
            .OrderBy(m => m.ScheduledAt).Select(m => m.ScheduledAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Pauses the sending mailings whose complaint rate is past 0.3 % (unless an admin overrode the rule for one).</summary>
    private async Task StopPastComplaintLineAsync(CancellationToken cancellationToken)
    {
        // Only the recipients of sending mailings are read (by the mailing's index), never the whole history.
        var sending = await db.Mailings.AsNoTracking().Where(m => m.State == MailingState.Sending && !m.RulesOverridden)
            .Select(m => m.Id).ToListAsync(cancellationToken);
        if (sending.Count == 0)
        {
            return;
        }
        var complaints = await db.MailingRecipients.AsNoTracking()
            .Where(r => sending.Contains(r.MailingId) && r.ComplainedAt != null)
            .GroupBy(r => r.MailingId).Select(g => new { MailingId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        foreach (var complaint in complaints)
        {
            var sent = await db.Outbox.CountAsync(o => o.MailingId == complaint.MailingId && (o.State == DeliveryState.Sent || o.State == DeliveryState.Bounced),
                cancellationToken);
            if (!MailingRules.MustStop(complaint.Count, sent, options.Value.ComplaintStopMinimumSent))
            {
                continue;
            }
            var reason = $"{complaint.Count:N0} complaints for {sent:N0} emails sent ({MailingRules.Percent((double)complaint.Count / sent)}), past the 0.3 % providers tolerate.";
            if (await mailings.PauseAsync(complaint.MailingId, reason, cancellationToken))
            {
                LogPaused(complaint.MailingId, reason);
            }
        }
    }

    private async Task StartAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int started;
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            started = await db.Mailings.Where(m => m.Id == id && m.State == MailingState.Scheduled)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Sending).SetProperty(m => m.StartedAt, now), cancellationToken);
        }
        if (started == 1)
        {
            LogStarted(id);
            progress.Moved(id);
        }
    }

    private async Task FinishAsync(long id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int finished;
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            // Checked again in the statement: a retry by hand may have put a row back in the queue meanwhile.
            finished = await db.Mailings.Where(m => m.Id == id && m.State == MailingState.Sending && m.QueuedAt != null
                    && !db.Outbox.Any(o => o.MailingId == m.Id && (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred)))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Sent).SetProperty(m => m.FinishedAt, now), cancellationToken);
        }
        if (finished == 1)
        {
            LogSent(id);
            progress.Moved(id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailing {MailingId} paused: {Reason}")]
    private partial void LogPaused(long mailingId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailing {MailingId} started at its scheduled time")]
    private partial void LogStarted(long mailingId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailing {MailingId} sent: nothing of it is left in the outbox")]
    private partial void LogSent(long mailingId);
}
