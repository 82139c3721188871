using Microsoft.EntityFrameworkCore;

namespace Parley.Data.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in the data directory, WAL mode, fsync on commit
/// (<see cref="Core.Data.DatabaseProvider.AddParleyDbContext"/> with <see cref="Configure"/>).
/// </summary>
public static class SqliteStorage
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteStorage).Assembly.GetName().Name))
            .AddInterceptors(SqlitePragmas.Instance);

    /// <summary>The database's file name in the data directory.</summary>
    public const string FileName = "parley.db";

    public static string ConnectionStringFor(string dataDirectory) =>
        $"Data Source={Path.Combine(dataDirectory, FileName)};Pooling=True;Default Timeout=30";
}
