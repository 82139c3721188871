using Microsoft.EntityFrameworkCore;
using Parley.Data.Postgres;
using Parley.Testing;

namespace Parley.Core.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = PostgresFixture.Collection;
}

/// <summary>Fresh migrated databases on the shared cluster of Parley.Testing's <see cref="PostgresFixture"/>.</summary>
public sealed class PostgresDatabaseFactory(PostgresFixture postgres) : IDatabaseFactory
{
    public async Task<ITestDatabase> CreateAsync() => new PostgresTestDatabase(await postgres.CreateMigratedDatabaseAsync());

    private sealed class PostgresTestDatabase(string connectionString) : ITestDatabase
    {
        public string Provider => "postgres";

        public void Configure(DbContextOptionsBuilder options) => PostgresStorage.Configure(options, connectionString);

        // The cluster and every database in it are deleted with the fixture.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
