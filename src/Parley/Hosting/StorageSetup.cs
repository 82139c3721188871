using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Data.Postgres;
using Parley.Data.Sqlite;

namespace Parley.Hosting;

/// <summary>Chooses the database provider, the data-protection key ring, and applies migrations (and makes a cluster's first key).</summary>
public static class StorageSetup
{
    public static IServiceCollection AddParleyStorage(this IServiceCollection services, ServeOptions options)
    {
        var dataDir = Path.GetFullPath(options.DataDir);
        var embedded = !PostgresStorage.IsPostgresConnectionString(options.Database) && options.Database is not { Length: > 0 };
        // The database file exists (0600) before SQLite opens it: its -wal and -shm take the database's mode.
        var fixes = DataDirectory.Secure(dataDir, embedded ? [SqliteStorage.FileName] : []);
        services.AddSingleton(new DataDirectoryFixes(dataDir, fixes));
        if (PostgresStorage.IsPostgresConnectionString(options.Database))
        {
            services.AddParleyDbContext(PostgresStorage.Configure, options.Database!);
        }
        else
        {
            services.AddParleyDbContext(SqliteStorage.Configure, options.Database is { Length: > 0 } path && !path.Contains('=')
                ? $"Data Source={path};Pooling=True;Default Timeout=30"
                : SqliteStorage.ConnectionStringFor(dataDir));
        }

        // Relay passwords and signing keys are encrypted with these keys; losing them means re-entering passwords. A
        // PostgreSQL cluster keeps them in the database, so every node decrypts what any node encrypted (ADR 0025).
        var protection = services.AddDataProtection().SetApplicationName("Parley");
        if (PostgresStorage.IsPostgresConnectionString(options.Database))
        {
            protection.PersistKeysToDbContext<ParleyDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(DataDirectory.Folder(Path.Combine(dataDir, "keys")));
        }

        return services;
    }

    /// <summary>Tells the operator what <see cref="DataDirectory.Secure"/> had to fix; nothing when nothing was.</summary>
    public static void LogDataDirectoryFixes(IServiceProvider services)
    {
        var fixes = services.GetRequiredService<DataDirectoryFixes>();
        if (fixes.Fixed.Count == 0)
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DataDirectory));
        logger.LogWarning("The data directory {DataDir} was readable by other users; Parley made {Count} file(s) and folder(s) its own: {Fixes}",
            fixes.DataDir, fixes.Fixed.Count, string.Join("; ", fixes.Fixed));
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        // Data a migration cannot compute in SQL: the contacts' sort keys, by the same code as on save.
        await Core.Contacts.ContactSortKeys.BackfillAsync(db, cancellationToken);
        await Cluster.SharedKeyRing.EnsureAsync(services, cancellationToken);
    }
}

/// <summary>What <see cref="DataDirectory.Secure"/> changed at start, logged once the host can log.</summary>
public sealed record DataDirectoryFixes(string DataDir, IReadOnlyList<string> Fixed);
