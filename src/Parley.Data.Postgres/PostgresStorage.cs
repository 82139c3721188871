using Microsoft.EntityFrameworkCore;

namespace Parley.Data.Postgres;

/// <summary>
/// PostgreSQL, for installations that outgrow one file or run several nodes
/// (<see cref="Core.Data.DatabaseProvider.AddParleyDbContext"/> with <see cref="Configure"/>).
/// </summary>
public static class PostgresStorage
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, pg => pg.MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name));

    /// <summary>True when a --database value is a PostgreSQL connection string rather than a SQLite path.</summary>
    public static bool IsPostgresConnectionString(string? value) =>
        value is not null && (value.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));
}
