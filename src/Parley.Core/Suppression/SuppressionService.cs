using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Suppression;

/// <summary>
/// The suppression list: addresses that must not be mailed. Hard bounces put an address here after the
/// configured threshold; soft bounces only count. An admin can add and remove addresses.
/// </summary>
public sealed class SuppressionService(ParleyDbContext db, TimeProvider clock)
{
    public static string Key(string address) => address.Trim().ToLowerInvariant();

    /// <summary>
    /// Whether the reason stops transactional mail too (a reply, a notification), not only mailings: an unsubscribe
    /// asks for no more campaigns, while a hard bounce, a complaint or an admin's entry means no mail at all.
    /// </summary>
    public static bool BlocksTransactional(SuppressionReason reason) => reason != SuppressionReason.Unsubscribe;

    /// <summary>
    /// Suppresses an address for an unsubscribe or a complaint (tracked, saved by the caller). An address already on
    /// the list keeps its entry, except that a complaint outranks an unsubscribe (it stops transactional mail too).
    /// </summary>
    /// <returns>True when the list changed.</returns>
    public async Task<bool> SuppressAsync(string address, SuppressionReason reason, string detail, CancellationToken cancellationToken)
    {
        var key = Key(address);
        var existing = db.Suppressions.Local.FirstOrDefault(s => s.Address == key)
            ?? await db.Suppressions.FirstOrDefaultAsync(s => s.Address == key, cancellationToken);
        if (existing is not null)
        {
            if (existing.Reason != SuppressionReason.Unsubscribe || reason == SuppressionReason.Unsubscribe)
            {
                return false;
            }
            existing.Reason = reason;
            existing.Detail = Truncate(detail, 2000);
            return true;
        }
        db.Suppressions.Add(new SuppressedAddress { Address = key, Reason = reason, Detail = Truncate(detail, 2000), CreatedAt = clock.GetUtcNow() });
        return true;
    }

    public Task<List<SuppressedAddress>> ListAsync(string? query, int take, CancellationToken cancellationToken) =>
        Matching(query).OrderByDescending(s => s.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);

    /// <summary>One page of the list, newest first, with how many addresses match in all.</summary>
    public async Task<(List<SuppressedAddress> Page, int Total)> SearchAsync(string? query, int skip, int take, CancellationToken cancellationToken)
    {
        var q = Matching(query);
        var total = await q.CountAsync(cancellationToken);
        var page = await q.OrderByDescending(s => s.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return (page, total);
    }

    public Task<SuppressedAddress?> FindAsync(string address, CancellationToken cancellationToken)
    {
        var key = Key(address);
        return db.Suppressions.AsNoTracking().FirstOrDefaultAsync(s => s.Address == key, cancellationToken);
    }

    public async Task<SuppressedAddress> AddAsync(string? address, string? detail, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(address)
            ?? throw new InvalidInputException("address", "Please enter one email address, such as ana@example.com.");
        var key = Key(normalized);
        var existing = await db.Suppressions.FirstOrDefaultAsync(s => s.Address == key, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var row = new SuppressedAddress
        {
            Address = key,
            Reason = SuppressionReason.Manual,
            CreatedAt = clock.GetUtcNow(),
            Detail = string.IsNullOrWhiteSpace(detail) ? "Added by an admin." : Truncate(detail.Trim(), 2000),
        };
        db.Suppressions.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Removes the address and forgets its bounce count, so one new bounce does not suppress it again at once.</summary>
    public async Task RemoveAsync(string address, CancellationToken cancellationToken)
    {
        var key = Key(address);
        var row = await db.Suppressions.FirstOrDefaultAsync(s => s.Address == key, cancellationToken)
            ?? throw new NotFoundException($"The address {address} on the suppression list");
        db.Suppressions.Remove(row);
        if (await db.BounceCounters.FirstOrDefaultAsync(c => c.Address == key, cancellationToken) is { } counter)
        {
            db.BounceCounters.Remove(counter);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Counts one bounce (tracked, saved by the caller with the rest of the routing). Returns true when this
    /// bounce put the address on the list.
    /// </summary>
    public async Task<bool> RecordBounceAsync(string address, bool hard, string? status, string? diagnostic, int threshold, CancellationToken cancellationToken)
    {
        var key = Key(address);
        var now = clock.GetUtcNow();
        var counter = db.BounceCounters.Local.FirstOrDefault(c => c.Address == key)
            ?? await db.BounceCounters.FirstOrDefaultAsync(c => c.Address == key, cancellationToken);
        if (counter is null)
        {
            counter = new BounceCounter { Address = key };
            db.BounceCounters.Add(counter);
        }
        if (hard)
        {
            counter.HardBounces++;
        }
        else
        {
            counter.SoftBounces++;
        }

        counter.LastStatus = status;
        counter.LastDiagnostic = diagnostic is null ? null : Truncate(diagnostic, 2000);
        counter.LastBounceAt = now;
        if (!hard || counter.HardBounces < threshold)
        {
            return false;
        }

        if (db.Suppressions.Local.Any(s => s.Address == key) || await db.Suppressions.AnyAsync(s => s.Address == key, cancellationToken))
        {
            return false;
        }

        db.Suppressions.Add(new SuppressedAddress
        {
            Address = key,
            Reason = SuppressionReason.HardBounce,
            CreatedAt = now,
            Detail = Truncate($"{counter.HardBounces} hard bounce{(counter.HardBounces == 1 ? "" : "s")}; last: {status} {diagnostic}".Trim(), 2000),
        });
        return true;
    }

    private IQueryable<SuppressedAddress> Matching(string? query)
    {
        var q = db.Suppressions.AsNoTracking();
        if (string.IsNullOrWhiteSpace(query))
        {
            return q;
        }

        var needle = query.Trim().ToLowerInvariant();
        return q.Where(s => s.Address.Contains(needle));
    }
}
