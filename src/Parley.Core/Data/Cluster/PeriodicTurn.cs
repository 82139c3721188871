using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Parley.Core.Data.Cluster;

/// <summary>The outcome of asking for a job's turn: whether this node has it, and whose it is until when.</summary>
public sealed record Turn(bool Taken, string Holder, DateTimeOffset Until);

/// <summary>
/// "Once per interval across the cluster": the one owner of the lease rows (<see cref="ClusterLease"/>) that periodic
/// jobs take before they run, so that of several nodes on one PostgreSQL database exactly one runs each turn. A turn is
/// taken with one statement — an INSERT of the job's row, or, when the row exists, an UPDATE of it guarded by the
/// turn being over — so the database decides between two nodes asking at once (on PostgreSQL the second waits for
/// the first's row and then finds its condition false). SQLite, one node, goes through the same statement. Times are
/// the nodes' clocks: keep them in sync (NTP), as any lease needs (ADR 0025).
/// </summary>
public sealed class PeriodicTurn(ParleyDbContext db, DatabaseWriteGate writeGate, IOptions<ClusterOptions> options, TimeProvider clock)
{
    /// <summary>The node id that holds the turns this node takes.</summary>
    public string NodeId => options.Value.NodeId;

    /// <summary>
    /// A turn of <paramref name="length"/>: taken only when the previous one (whoever took it) is over, so two runs of the
    /// job are at least one length apart across the cluster. For jobs on a schedule (the doctor).
    /// </summary>
    public Task<Turn> TakeTurnAsync(string job, TimeSpan length, CancellationToken cancellationToken) => TryTakeAsync(job, length, renewable: false, cancellationToken);

    /// <summary>
    /// The job for <paramref name="length"/> from now, renewed by each call while this node holds it; another node gets it
    /// only once it has run out (its holder died or stopped). For jobs that poll often and must not run twice at once.
    /// </summary>
    public Task<Turn> HoldAsync(string job, TimeSpan length, CancellationToken cancellationToken) => TryTakeAsync(job, length, renewable: true, cancellationToken);

    /// <summary>Gives a held job up at once (a node shutting down), so another node need not wait for it to run out.</summary>
    public async Task ReleaseAsync(string job, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var me = NodeId;
        await using var writer = await writeGate.EnterAsync(db, cancellationToken);
        await db.ClusterLeases.Where(l => l.Job == job && l.Holder == me && l.Until > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, now), cancellationToken);
    }

    /// <summary>
    /// <see cref="ReleaseAsync"/> from a worker that is stopping, in a scope of its own. Best effort: when the database is
    /// already gone the job simply runs out at its end, as it would after a crash.
    /// </summary>
    public static async Task ReleaseOnStopAsync(IServiceScopeFactory scopes, string job)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await scope.ServiceProvider.GetRequiredService<PeriodicTurn>().ReleaseAsync(job, timeout.Token);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // Not released: another node takes the job when it runs out.
        }
    }

    private async Task<Turn> TryTakeAsync(string job, TimeSpan length, bool renewable, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        var now = clock.GetUtcNow();
        var me = NodeId;
        long nowTicks = now.UtcTicks, until = (now + length).UtcTicks, lengthAgo = (now - length).UtcTicks;
        int taken;
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            // The turn is over when its end has passed, or when it was taken one length ago or more (the length was
            // shortened since); a holder renews its own only where the job is renewable.
            taken = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ClusterLeases" ("Job", "Holder", "TakenAt", "Until") VALUES ({job}, {me}, {nowTicks}, {until})
                ON CONFLICT ("Job") DO UPDATE SET "Holder" = excluded."Holder", "TakenAt" = excluded."TakenAt", "Until" = excluded."Until"
                WHERE "ClusterLeases"."Until" <= {nowTicks} OR "ClusterLeases"."TakenAt" <= {lengthAgo}
                   OR ({renewable} AND "ClusterLeases"."Holder" = {me})
                """, cancellationToken);
        }
        if (taken == 1)
        {
            return new Turn(true, me, now + length);
        }

        var current = await db.ClusterLeases.AsNoTracking().FirstAsync(l => l.Job == job, cancellationToken);
        return new Turn(false, current.Holder, current.Until);
    }
}
