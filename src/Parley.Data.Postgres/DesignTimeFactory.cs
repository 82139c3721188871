using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Parley.Core.Data;

namespace Parley.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider (no server needed).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ParleyDbContext>
{
    public ParleyDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ParleyDbContext>();
        PostgresStorage.Configure(builder, "Host=localhost;Database=parley_design");
        return new ParleyDbContext(builder.Options);
    }
}
