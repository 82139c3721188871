using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Data.Postgres;
using Xunit;

namespace Parley.Testing;

/// <summary>
/// One throw-away PostgreSQL cluster (<see cref="PostgresPeer"/>) shared by a test collection; each test makes its own
/// database, so no test sees another's data. Use it as an xunit collection fixture: the test project declares
/// <c>[CollectionDefinition(PostgresFixture.Collection)] class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;</c>
/// (xunit finds definitions only in the test assembly) and its classes carry <c>[Collection(PostgresFixture.Collection)]</c>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string Collection = "PostgreSQL";

    private const string Template = "parley_template";
    private readonly SemaphoreSlim _templateOnce = new(1, 1);
    private PostgresPeer? _peer;
    private bool _templateMigrated;
    private int _next;

    public PostgresPeer Peer => _peer ?? throw new InvalidOperationException("The PostgreSQL cluster is not started.");

    public async Task InitializeAsync() => _peer = await PostgresPeer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }

        _templateOnce.Dispose();
    }

    /// <summary>A new, empty database (Parley migrates it when a host starts on it); returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Peer.CreateDatabaseAsync(NewName());

    /// <summary>A new database with Parley's schema, copied from a template migrated once with the real migrations.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        await _templateOnce.WaitAsync();
        try
        {
            if (!_templateMigrated)
            {
                var options = new DbContextOptionsBuilder<ParleyDbContext>();
                PostgresStorage.Configure(options, await Peer.CreateDatabaseAsync(Template));
                await using (var context = new ParleyDbContext(options.Options))
                {
                    await context.Database.MigrateAsync();
                }

                _templateMigrated = true;
            }

            return await Peer.CreateDatabaseAsync(NewName(), template: Template);
        }
        finally
        {
            _templateOnce.Release();
        }
    }

    private string NewName() => $"t{Interlocked.Increment(ref _next)}_{Guid.NewGuid():N}"[..24];
}
