using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Chatter;
using Parley.Core.Data;

namespace Parley.Core.Outbox;

/// <summary>
/// The claim step: leases due rows to one owner with an UPDATE that checks every condition again, so two loops or
/// nodes never both send a row, nor re-send one another just sent. The claimed rows are tracked by this scope's
/// DbContext, with their chatter messages, for the outcomes to be written on.
/// </summary>
public sealed class OutboxClaimer(ParleyDbContext db, DatabaseWriteGate writeGate, IOptions<OutboxOptions> options, TimeProvider clock)
{
    private readonly OutboxOptions _options = options.Value;

    public async Task<List<OutboxItem>> ClaimAsync(string leaseOwner, CancellationToken cancellationToken)
    {
        // Another loop (or node) may claim the rows we picked between our SELECT and our UPDATE; then pick again
        // rather than sleep until the next poll while mail is due.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = clock.GetUtcNow();
            var due = await db.Outbox.AsNoTracking()
                .Where(o => (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && o.NextAttemptAt <= now
                    && (o.LeaseUntil == null || o.LeaseUntil < now))
                .OrderBy(o => o.NextAttemptAt).ThenBy(o => o.Id)
                .Select(o => o.Id).Take(_options.BatchSize).ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return [];
            }

            var leaseUntil = now + _options.Lease;
            // Every condition is checked again in the UPDATE itself: between our SELECT and this
            // statement another node may have claimed, sent and released the same row.
            await using var writer = await writeGate.EnterAsync(db, cancellationToken);
            var leased = await db.Outbox
                .Where(o => due.Contains(o.Id) && (o.LeaseUntil == null || o.LeaseUntil < now)
                    && (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && o.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LeaseOwner, leaseOwner).SetProperty(o => o.LeaseUntil, leaseUntil), cancellationToken);
            if (leased == 0)
            {
                continue;
            }

            return await db.Outbox.Include(o => o.ChatterMessage)
                .Where(o => due.Contains(o.Id) && o.LeaseOwner == leaseOwner && o.LeaseUntil == leaseUntil)
                .OrderBy(o => o.Id).ToListAsync(cancellationToken);
        }
        return [];
    }

    /// <summary>The stored MIME of the claimed rows, by raw MIME id (emails to several recipients share one).</summary>
    public async Task<Dictionary<long, byte[]>> LoadContentAsync(List<OutboxItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.ChatterMessage!.RawMimeId).OfType<long>().Distinct().ToList();
        return await db.RawMimes.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Content, cancellationToken);
    }
}
