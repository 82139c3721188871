using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Data;

public abstract class MigrationTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private ParleyDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<ParleyDbContext>();
        Env.Database.Configure(options);
        return new ParleyDbContext(options.Options);
    }

    [Fact]
    public async Task Every_migration_is_applied_to_a_fresh_database()
    {
        await using var db = NewContext();
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void The_migrations_match_the_model()
    {
        // A model change without a new migration for this provider fails here, not in production.
        using var db = NewContext();
        Assert.False(db.Database.HasPendingModelChanges(), $"The {Env.Database.Provider} migrations are behind ParleyDbContext: add a migration.");
    }

    [Fact]
    public async Task Timestamps_round_trip_exactly_and_order_in_sql()
    {
        var early = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567);
        await using (var db = NewContext())
        {
            db.Settings.Add(new Parley.Core.Settings.Setting { Key = "probe", Value = "x" });
            db.RawMimes.Add(new Parley.Core.Chatter.RawMime { Content = [1], CreatedAt = early });
            db.RawMimes.Add(new Parley.Core.Chatter.RawMime { Content = [2], CreatedAt = early.AddTicks(-1) });
            await db.SaveChangesAsync();
        }
        await using var read = NewContext();
        var rows = await read.RawMimes.Where(r => r.CreatedAt <= early).OrderBy(r => r.CreatedAt).ToListAsync();
        Assert.Equal([2, 1], rows.Select(r => (int)r.Content[0]).ToArray());
        Assert.Equal(early.UtcTicks, rows[1].CreatedAt.UtcTicks);
    }
}

public sealed class MigrationSqliteTests() : MigrationTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class MigrationPostgresTests(PostgresFixture pg) : MigrationTests(new PostgresDatabaseFactory(pg));
