using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Data.Postgres;
using Parley.Data.Sqlite;

namespace Parley.Hosting;

/// <summary>Chooses the database provider, the data-protection key ring, and applies migrations.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddParleyStorage(this IServiceCollection services, ServeOptions options)
    {
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        if (PostgresStorage.IsPostgresConnectionString(options.Database))
            services.AddParleyPostgres(options.Database!);
        else
            services.AddParleySqlite(options.Database is { Length: > 0 } path && !path.Contains('=')
                ? $"Data Source={path};Pooling=True;Default Timeout=30"
                : SqliteStorage.ConnectionStringFor(dataDir));

        // Relay passwords are encrypted with these keys; losing them means re-entering passwords.
        services.AddDataProtection()
            .SetApplicationName("Parley")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));
        return services;
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        await db.Database.MigrateAsync(ct);
    }
}
