using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Data;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Data;

/// <summary>
/// Routing commits without waiting for the disk only on its own connection and only while it routes: every other
/// connection (the listener's, whose commit stands behind an SMTP 250) still commits durably, and so does the
/// routing connection once it is back in the pool.
/// </summary>
public abstract class DerivedWritesTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    /// <summary>The provider's durability setting on this context's connection, e.g. "2"/"1" (SQLite FULL/NORMAL) or "on"/"off".</summary>
    protected abstract Task<string> DurabilityAsync(ParleyDbContext db);

    protected abstract string Durable { get; }
    protected abstract string Relaxed { get; }

    /// <summary>Makes durable commits the database's default, if the test server does not already.</summary>
    protected virtual Task MakeDurableTheDefaultAsync() => Task.CompletedTask;

    [Fact]
    public async Task Only_the_leased_connection_relaxes_and_only_until_the_lease_ends()
    {
        await MakeDurableTheDefaultAsync();
        await using (var scope = Env.Scope())
        {
            var router = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await using (await DerivedWrites.BeginAsync(router, default))
            {
                Assert.Equal(Relaxed, await DurabilityAsync(router));
                await using var other = Env.Scope();
                var listener = other.ServiceProvider.GetRequiredService<ParleyDbContext>();
                await listener.Database.OpenConnectionAsync();
                Assert.Equal(Durable, await DurabilityAsync(listener));
                await listener.Database.CloseConnectionAsync();
            }
            await router.Database.OpenConnectionAsync();
            Assert.Equal(Durable, await DurabilityAsync(router));
            await router.Database.CloseConnectionAsync();
        }
        // Whatever context the pool hands out next commits durably.
        for (var i = 0; i < 3; i++)
        {
            await using var scope = Env.Scope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(Durable, await DurabilityAsync(db));
            await db.Database.CloseConnectionAsync();
        }
    }

    protected static async Task<string> ScalarAsync(ParleyDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }
}

public sealed class DerivedWritesSqliteTests() : DerivedWritesTests(SqliteDatabaseFactory.Instance)
{
    protected override Task<string> DurabilityAsync(ParleyDbContext db) => ScalarAsync(db, "PRAGMA synchronous");
    protected override string Durable => "2";
    protected override string Relaxed => "1";
}

[Collection(PostgresCollection.Name)]
public sealed class DerivedWritesPostgresTests(PostgresFixture pg) : DerivedWritesTests(new PostgresDatabaseFactory(pg))
{
    protected override Task<string> DurabilityAsync(ParleyDbContext db) => ScalarAsync(db, "SHOW synchronous_commit");
    protected override string Durable => "on";
    protected override string Relaxed => "off";

    // The test server runs with synchronous_commit=off for speed; this database gets PostgreSQL's own default back,
    // for sessions opened from now on.
    protected override async Task MakeDurableTheDefaultAsync()
    {
        await Env.Db(db => db.Database.ExecuteSqlRawAsync("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = on', current_database()); END $$"));
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
