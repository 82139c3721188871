using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Outbox;

/// <summary>The queue as an admin sees it: counts, failures, and retry or cancel by hand.</summary>
public sealed class OutboxService(ParleyDbContext db, OutboxSignal signal, ChatterEvents events, TimeProvider clock)
{
    public async Task<Dictionary<DeliveryState, int>> CountsAsync(CancellationToken cancellationToken) =>
        await db.Outbox.GroupBy(o => o.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);

    public Task<List<OutboxItem>> ListAsync(DeliveryState? state, int take, CancellationToken cancellationToken) =>
        db.Outbox.AsNoTracking().Include(o => o.ChatterMessage)
            .Where(o => state == null || o.State == state)
            .OrderByDescending(o => o.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);

    public async Task RetryAsync(long id, CancellationToken cancellationToken)
    {
        var item = await GetAsync(id, cancellationToken);
        if (item.State is DeliveryState.Sent or DeliveryState.Bounced)
        {
            throw new InvalidInputException("state", $"This email was already {item.State.ToString().ToLowerInvariant()}; there is nothing to retry.");
        }

        OutboxTransitions.Requeue(item, clock.GetUtcNow());
        await SaveAndNotifyAsync(item, cancellationToken);
        signal.Notify();
    }

    public async Task CancelAsync(long id, CancellationToken cancellationToken)
    {
        var item = await GetAsync(id, cancellationToken);
        if (item.State is not (DeliveryState.Queued or DeliveryState.Deferred))
        {
            throw new InvalidInputException("state", $"Only queued or deferred emails can be cancelled; this one is {item.State.ToString().ToLowerInvariant()}.");
        }

        OutboxTransitions.Cancel(item);
        await SaveAndNotifyAsync(item, cancellationToken);
    }

    private async Task<OutboxItem> GetAsync(long id, CancellationToken cancellationToken) =>
        await db.Outbox.Include(o => o.ChatterMessage).FirstOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException($"Outbox item {id}");

    private async Task SaveAndNotifyAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var message = item.ChatterMessage!;
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new RecordRef(message.RecordType, message.RecordId), message.Id);
    }
}
