using Parley.Core.Common;

namespace Parley.Core.Data;

/// <summary>
/// SQLite has one writer. Parley's busy write paths — the listener's group commits, the inbound router's
/// transactions, the outbox's claims and results, a mailing's chunks — queue here, first come first served and
/// awaiting without a thread, instead of meeting in SQLite's busy handler, which sleeps (up to 100 ms at a time)
/// on a blocked thread-pool thread while the other writer finishes. On PostgreSQL, which locks rows, it lets
/// everyone through. Dispose the lease to leave.
/// </summary>
public sealed class DatabaseWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IAsyncDisposable> EnterAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        if (!db.IsSqlite)
        {
            return Open.Lease;
        }

        await _gate.WaitAsync(cancellationToken);
        return new SemaphoreLease(_gate);
    }

    private sealed class Open : IAsyncDisposable
    {
        public static readonly Open Lease = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
