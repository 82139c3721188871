using System.Net;
using Microsoft.Data.Sqlite;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Auth;

/// <summary>
/// The database refuses writes (here: another connection holds SQLite's write lock, as a long writer or a
/// backup would; file modes would not do, since tests may run as root). Reads must keep working, and a
/// write must be a 503 that says what is wrong, not a 500.
/// </summary>
public sealed class ReadOnlyDatabaseTests
{
    [Fact]
    public async Task While_the_database_takes_no_writes_a_token_can_read_and_a_write_is_a_503_problem()
    {
        await using var host = await ParleyHost.StartAsync();
        var admin = await host.CreateUserAsync();
        using var api = host.Client(await host.CreateTokenAsync(admin.Id));
        // SQLite waits its busy timeout (30 s) before giving up on a write.
        api.Timeout = TimeSpan.FromSeconds(90);

        await using var writer = new SqliteConnection($"Data Source={Path.Combine(host.DataDir, "parley.db")};Pooling=False");
        await writer.OpenAsync();
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        // The token's first use: its last-use write waits for the lock in the background, not in this request.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var read = await api.GetAsync("/api/v1/contacts");
        await Json.ReadAsync(read, HttpStatusCode.OK);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The read took {clock.Elapsed}: it waited for the write lock");

        var write = await api.Post("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" });
        var problem = await Json.ReadAsync(write, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Contains("cannot write to its database", problem.GetProperty("detail").GetString());

        await using (var rollback = writer.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        await Json.ReadAsync(await api.Post("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" }), HttpStatusCode.Created);
    }
}
