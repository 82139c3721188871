using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Parley.Core.Data;

namespace Parley.Cluster;

/// <summary>
/// On PostgreSQL the Data Protection key ring is a table every node reads (<see cref="ParleyDbContext.DataProtectionKeys"/>).
/// Left to itself, each of two nodes starting on an empty ring would make its own first key; so the first key is made
/// here, at start, under a cluster-wide lock: the second node waits, then finds the first's key and uses it. Later keys
/// Data Protection makes two days before they are needed, so every node has read them by then (ADR 0025).
/// </summary>
internal static class SharedKeyRing
{
    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        if (db.IsSqlite)
        {
            return; // the keys folder of the one data directory
        }

        await using (await ClusterLock.AcquireAsync(db, ClusterLock.KeyRing, 0, cancellationToken))
        {
            var keys = services.GetRequiredService<IKeyManager>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ExpirationDate > now))
            {
                keys.CreateNewKey(activationDate: now, expirationDate: now.AddDays(90));
            }
        }
    }
}
