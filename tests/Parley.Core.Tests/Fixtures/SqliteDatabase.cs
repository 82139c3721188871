using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Data.Sqlite;

namespace Parley.Core.Tests.Fixtures;

/// <summary>A SQLite file in a temp directory, migrated with the real migrations (not EnsureCreated).</summary>
public sealed class SqliteDatabaseFactory : IDatabaseFactory
{
    public static readonly SqliteDatabaseFactory Instance = new();

    public async Task<ITestDatabase> CreateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "parley-core-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var db = new SqliteTestDatabase(dir, SqliteStorage.ConnectionStringFor(dir));
        var options = new DbContextOptionsBuilder<ParleyDbContext>();
        db.Configure(options);
        await using (var context = new ParleyDbContext(options.Options))
        {
            await context.Database.MigrateAsync();
        }
        return db;
    }

    private sealed class SqliteTestDatabase(string directory, string connectionString) : ITestDatabase
    {
        public string Provider => "sqlite";

        public void Configure(DbContextOptionsBuilder options) => SqliteStorage.Configure(options, connectionString);

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearPool(new SqliteConnection(connectionString));
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { /* a late reader; the temp dir is cleaned by the OS */ }
            return ValueTask.CompletedTask;
        }
    }
}
