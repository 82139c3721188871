using Microsoft.EntityFrameworkCore;
using Npgsql;
using Parley.Core.Data;
using Parley.Data.Postgres;
using Parley.Testing;

namespace Parley.Core.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// One throw-away PostgreSQL cluster for the whole run (Parley.Testing's <see cref="PostgresPeer"/>).
/// A template database is migrated once with the real migrations; each test gets its own copy.
/// </summary>
public sealed class PostgresFixture : IDatabaseFactory, IAsyncLifetime
{
    private const string Template = "parley_template";
    private PostgresPeer? _peer;
    private int _next;

    public PostgresPeer Peer => _peer ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync()
    {
        _peer = await PostgresPeer.StartAsync();
        var connectionString = await _peer.CreateDatabaseAsync(Template);
        var options = new DbContextOptionsBuilder<ParleyDbContext>();
        PostgresStorage.Configure(options, connectionString);
        await using var context = new ParleyDbContext(options.Options);
        await context.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_peer is not null) await _peer.DisposeAsync();
    }

    public async Task<ITestDatabase> CreateAsync()
    {
        var name = $"t{Interlocked.Increment(ref _next)}_{Guid.NewGuid():N}"[..24];
        await using (var connection = new NpgsqlConnection(Peer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {Template}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new PostgresTestDatabase(Peer.ConnectionStringFor(name));
    }

    private sealed class PostgresTestDatabase(string connectionString) : ITestDatabase
    {
        public string Provider => "postgres";

        public void Configure(DbContextOptionsBuilder options) => PostgresStorage.Configure(options, connectionString);

        // The cluster and every database in it are deleted with the fixture.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
