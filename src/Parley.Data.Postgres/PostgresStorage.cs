using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Data;

namespace Parley.Data.Postgres;

/// <summary>PostgreSQL, for installations that outgrow one file or run several nodes.</summary>
public static class PostgresStorage
{
    public static IServiceCollection AddParleyPostgres(this IServiceCollection services, string connectionString) =>
        services.AddDbContextPool<ParleyDbContext>(o => Configure(o, connectionString));

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, pg => pg.MigrationsAssembly(typeof(PostgresStorage).Assembly.GetName().Name));

    /// <summary>True when a --database value is a PostgreSQL connection string rather than a SQLite path.</summary>
    public static bool IsPostgresConnectionString(string? value) =>
        value is not null && (value.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));
}
