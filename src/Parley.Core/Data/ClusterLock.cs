using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;

namespace Parley.Core.Data;

/// <summary>
/// "Only one at a time, across every Parley node": on PostgreSQL, where several nodes share the database, a
/// session-level advisory lock (released by the server if the node dies, since its connection goes with it); on
/// SQLite, which serves one process, an in-process lock. Try-only: a caller that does not get it skips its turn —
/// the holder does the work. Used where a lease per row would be overkill: routing inbound mail, polling one
/// fetch account.
/// </summary>
public static class ClusterLock
{
    /// <summary>Lock namespaces (the first half of PostgreSQL's two-part advisory key).</summary>
    public const int InboundRouting = 0x50524C01;
    public const int FetchAccount = 0x50524C02;
    public const int KeyRing = 0x50524C03;

    /// <summary>Per database (several hosts can live in one process, as in the tests), per key.</summary>
    private static readonly ConcurrentDictionary<(string, int, int), SemaphoreSlim> Local = new();

    /// <returns>The held lock (dispose to release), or null when another node or task holds it.</returns>
    public static async Task<IAsyncDisposable?> TryAcquireAsync(ParleyDbContext db, int space, int id, CancellationToken cancellationToken)
    {
        if (db.IsSqlite)
        {
            var gate = Local.GetOrAdd((db.Database.GetConnectionString() ?? "", space, id), _ => new SemaphoreSlim(1, 1));
            return await gate.WaitAsync(0, cancellationToken) ? new SemaphoreLease(gate) : null;
        }
        // The lock belongs to the session: keep this context's connection open until it is released.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await ExecuteAsync(db.Database.GetDbConnection(), "SELECT pg_try_advisory_lock(@space, @id)", space, id, cancellationToken) is true)
            {
                return new AdvisoryLease(db, space, id);
            }
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        await db.Database.CloseConnectionAsync();
        return null;
    }

    /// <summary>Waits (checking twice a second) until the lock is free, then holds it.</summary>
    public static async Task<IAsyncDisposable> AcquireAsync(ParleyDbContext db, int space, int id, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryAcquireAsync(db, space, id, cancellationToken) is { } held)
            {
                return held;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken); // wall time, not business time
        }
    }

    private static async Task<object?> ExecuteAsync(DbConnection connection, string sql, int space, int id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in new[] { ("space", space), ("id", id) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = DbType.Int32;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private sealed class AdvisoryLease(ParleyDbContext db, int space, int id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // If the connection broke, the server has already dropped the lock with the session.
                if (db.Database.GetDbConnection().State == ConnectionState.Open)
                {
                    await ExecuteAsync(db.Database.GetDbConnection(), "SELECT pg_advisory_unlock(@space, @id)", space, id, CancellationToken.None);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
