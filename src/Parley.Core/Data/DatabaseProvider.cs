using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Core.Data;

/// <summary>
/// What a database provider project (Parley.Data.Sqlite, Parley.Data.Postgres) gives Core: how it configures
/// <see cref="ParleyDbContext"/>'s options, with its migrations assembly.
/// </summary>
public delegate DbContextOptionsBuilder ConfigureDatabase(DbContextOptionsBuilder options, string connectionString);

/// <summary>The steps that are the same for every provider: the host's pooled context, and the tools' factory.</summary>
public static class DatabaseProvider
{
    /// <summary>The running host's pooled <see cref="ParleyDbContext"/> on the provider that <paramref name="configure"/> sets up.</summary>
    public static IServiceCollection AddParleyDbContext(this IServiceCollection services, ConfigureDatabase configure, string connectionString) =>
        services.AddDbContextPool<ParleyDbContext>(o => configure(o, connectionString));
}

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model for a provider; each provider project derives one, naming its
/// configuration and a connection string for the tools (no server is needed).
/// </summary>
public abstract class DesignTimeDbContextFactory(ConfigureDatabase configure, string connectionString) : IDesignTimeDbContextFactory<ParleyDbContext>
{
    public ParleyDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ParleyDbContext>();
        configure(builder, connectionString);
        return new ParleyDbContext(builder.Options);
    }
}
