using Microsoft.EntityFrameworkCore;

namespace Parley.Core.Data;

/// <summary>
/// Commits that only record what can be worked out again from rows that are already durable — routing results
/// derived from stored inbound messages — need not wait for the disk. While the lease is held, this context's
/// connection commits without its own fsync: SQLite's synchronous=NORMAL in WAL mode, PostgreSQL's
/// synchronous_commit=off. Both stay atomic and survive a crash of the process; a power loss can roll back the last
/// few such commits, and then the rows they changed are pending again and are simply routed again. The next
/// durable commit (the listener's, which still waits for its fsync) makes them durable too, since the log is
/// written in order. Never use it for a write that acknowledges something to the outside world.
/// </summary>
public static class DerivedWrites
{
    public static async Task<IAsyncDisposable> BeginAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        // The setting belongs to the connection: keep this one open until the lease ends.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync(db.IsSqlite ? "PRAGMA synchronous=NORMAL" : "SET synchronous_commit TO OFF", cancellationToken);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        return new Lease(db);
    }

    private sealed class Lease(ParleyDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Back to durable commits before the connection returns to the pool. If this fails, the connection is still
            // safe: Parley sets synchronous=FULL each time a pooled SQLite connection is opened, and Npgsql resets a
            // session (DISCARD ALL) when it returns one to its pool.
            try
            {
                await db.Database.ExecuteSqlRawAsync(db.IsSqlite ? "PRAGMA synchronous=FULL" : "RESET synchronous_commit");
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
