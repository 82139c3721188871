using Parley.Testing;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>One throw-away PostgreSQL cluster for the whole run; each test class gets its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresPeer Peer { get; private set; } = null!;

    public async Task InitializeAsync() => Peer = await PostgresPeer.StartAsync();

    public async Task DisposeAsync() => await Peer.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
