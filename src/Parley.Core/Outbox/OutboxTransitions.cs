using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Smtp.Delivery;

namespace Parley.Core.Outbox;

/// <summary>
/// Every change of an outbox row's delivery state, and the same change shown on its chatter message: the one place
/// that writes both, so the Outbox page and the chatter never tell two stories.
/// </summary>
public static class OutboxTransitions
{
    /// <summary>What the server said (or why nothing was sent): sent, failed, or deferred by the retry delays until the give-up time.</summary>
    public static void ApplyOutcome(OutboxItem item, DeliveryAttempt attempt, DateTimeOffset now, OutboxOptions options)
    {
        var result = attempt.Result;
        var text = result.ReplyText;
        // Held back by adaptive throttling, nothing was sent: no attempt is used up.
        var held = result.RetryAfter is not null && result.Host is null;
        if (!held)
        {
            item.Attempts++;
        }
        item.LastCode = result.StatusCode == 0 ? null : result.StatusCode;
        item.LastError = result.IsSent ? null : text;
        item.Route = attempt.Route;
        item.LeaseOwner = null;
        item.LeaseUntil = null;
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                item.State = DeliveryState.Sent;
                item.SentAt = now;
                break;
            case DeliveryOutcome.PermanentFailure:
                item.State = DeliveryState.Failed;
                break;
            default:
                if (now - item.CreatedAt >= options.GiveUpAfter)
                {
                    item.State = DeliveryState.Failed;
                    item.LastError = $"Gave up after {item.Attempts} attempts. Last answer: {text}";
                }
                else if (result.RetryAfter is { } slowDown)
                {
                    // The destination asked to slow down: come back when its throttle lets mail through, not on the retry ladder.
                    item.State = DeliveryState.Deferred;
                    item.NextAttemptAt = now + slowDown;
                }
                else
                {
                    item.State = DeliveryState.Deferred;
                    var delays = options.RetryDelays;
                    item.NextAttemptAt = now + delays[Math.Min(item.Attempts - 1, delays.Length - 1)];
                }
                break;
        }
        var message = ShowOnChatter(item);
        message.Route = attempt.Route;
        message.ServerReply = item.LastCode is { } code ? $"{code} {text}" : text;
    }

    /// <summary>The lease given back untouched: the row was claimed, but its delivery was not started.</summary>
    public static void Release(OutboxItem item)
    {
        item.LeaseOwner = null;
        item.LeaseUntil = null;
    }

    /// <summary>Retry by hand: due now, with a fresh give-up window.</summary>
    public static void Requeue(OutboxItem item, DateTimeOffset now)
    {
        item.State = DeliveryState.Queued;
        item.NextAttemptAt = now;
        item.LeaseOwner = null;
        item.LeaseUntil = null;
        item.CreatedAt = now;
        ShowOnChatter(item);
    }

    /// <summary>
    /// The recipient's server returned the email after accepting it (a DSN): <paramref name="reason"/> for the Outbox,
    /// <paramref name="shownOnChatter"/> in the words the record's chatter uses.
    /// </summary>
    public static void Bounce(OutboxItem item, int? code, string reason, string shownOnChatter)
    {
        item.State = DeliveryState.Bounced;
        item.LastCode = code;
        item.LastError = reason;
        ShowOnChatter(item).Error = shownOnChatter;
    }

    public static void Cancel(OutboxItem item)
    {
        item.State = DeliveryState.Failed;
        item.LastError = "Cancelled by hand.";
        ShowOnChatter(item);
    }

    /// <summary>
    /// Cancels every row of <paramref name="rows"/> not yet handed to a server (queued or deferred, and not leased by a
    /// worker that may be sending it right now), on the rows and their chatter messages, in the caller's transaction.
    /// Every condition is in the UPDATE itself, so a row a worker claims meanwhile is left to it.
    /// </summary>
    /// <returns>The ids of the rows cancelled.</returns>
    public static Task<List<long>> CancelUnsentAsync(Data.ParleyDbContext db, IQueryable<OutboxItem> rows, string reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        StopUnsentAsync(db, rows, reason, now, DeliveryState.Failed, null, cancellationToken);

    /// <summary>Holds back every row not yet handed to a server (as <see cref="CancelUnsentAsync"/> finds them) until <see cref="Release(Data.ParleyDbContext, IQueryable{OutboxItem}, string, DateTimeOffset, CancellationToken)"/>.</summary>
    public static Task<List<long>> HoldUnsentAsync(Data.ParleyDbContext db, IQueryable<OutboxItem> rows, string reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        StopUnsentAsync(db, rows, reason, now, DeliveryState.Deferred, HeldUntil, cancellationToken);

    /// <summary>Rows held with <paramref name="reason"/> are due again now.</summary>
    public static Task<int> Release(Data.ParleyDbContext db, IQueryable<OutboxItem> rows, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var marker = Common.TextLimit.Truncate(reason, 2000);
        return rows.Where(o => o.State == DeliveryState.Deferred && o.LastError == marker && o.NextAttemptAt == HeldUntil)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAt, now), cancellationToken);
    }

    /// <summary>When held rows are due: never, until released.</summary>
    private static readonly DateTimeOffset HeldUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<List<long>> StopUnsentAsync(Data.ParleyDbContext db, IQueryable<OutboxItem> rows, string reason, DateTimeOffset now,
        DeliveryState state, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var marker = Common.TextLimit.Truncate(reason, 2000);
        var unsent = rows.Where(o => (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred) && (o.LeaseUntil == null || o.LeaseUntil < now));
        var ids = await unsent.Select(o => o.Id).ToListAsync(cancellationToken);
        var stopped = new List<long>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            var unclaimed = db.Outbox.Where(o => chunk.Contains(o.Id) && (o.State == DeliveryState.Queued || o.State == DeliveryState.Deferred)
                && (o.LeaseUntil == null || o.LeaseUntil < now));
            if (until is { } held)
            {
                await unclaimed.ExecuteUpdateAsync(s => s.SetProperty(o => o.State, state).SetProperty(o => o.LastError, marker)
                    .SetProperty(o => o.NextAttemptAt, held), cancellationToken);
            }
            else
            {
                await unclaimed.ExecuteUpdateAsync(s => s.SetProperty(o => o.State, state).SetProperty(o => o.LastError, marker), cancellationToken);
            }
            var done = await db.Outbox.Where(o => chunk.Contains(o.Id) && o.State == state && o.LastError == marker)
                .Select(o => new { o.Id, o.ChatterMessageId }).ToListAsync(cancellationToken);
            var messages = done.Select(d => d.ChatterMessageId).ToList();
            await db.Messages.Where(m => messages.Contains(m.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, state).SetProperty(m => m.Error, marker), cancellationToken);
            stopped.AddRange(done.Select(d => d.Id));
        }
        return stopped;
    }

    private static ChatterMessage ShowOnChatter(OutboxItem item)
    {
        var message = item.ChatterMessage!;
        message.State = item.State;
        message.Error = item.State == DeliveryState.Queued ? null : item.LastError;
        return message;
    }
}
