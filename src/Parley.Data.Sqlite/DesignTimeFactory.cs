using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Parley.Core.Data;

namespace Parley.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for this provider.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ParleyDbContext>
{
    public ParleyDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ParleyDbContext>();
        SqliteStorage.Configure(builder, "Data Source=design.db");
        return new ParleyDbContext(builder.Options);
    }
}
