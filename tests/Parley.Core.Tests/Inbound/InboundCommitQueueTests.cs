using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Inbound;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Inbound;

/// <summary>
/// The listener's group commit: messages stored at the same moment share a transaction; each caller gets its own
/// row's id, byte for byte what it stored; a row the database refuses fails only its own caller, and leaves no raw
/// bytes behind without their envelope.
/// </summary>
public abstract class InboundCommitQueueTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private Task<long> StoreAsync(string mailFrom, string body) =>
        Env.ReceiveAsync(Encoding.UTF8.GetBytes(body), mailFrom, ["support@mail.parley.test", "sales@mail.parley.test"], helo: "client.test");

    [Fact]
    public async Task Concurrent_stores_each_get_their_own_row_with_their_own_bytes()
    {
        var bodies = Enumerable.Range(0, 40).Select(i => $"Subject: number {i}\r\n\r\nBody {i} {new string('x', i * 50)}\r\n").ToList();
        var ids = await Task.WhenAll(bodies.Select((body, i) => StoreAsync($"sender{i}@customer.test", body)));

        Assert.Equal(ids.Length, ids.Distinct().Count());
        var rows = await Env.Db(db => db.Inbound.AsNoTracking().Include(i => i.RawMime).ToListAsync());
        Assert.Equal(40, rows.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            var row = rows.Single(r => r.Id == ids[i]);
            Assert.Equal(bodies[i], Encoding.UTF8.GetString(row.RawMime!.Content));
            Assert.Equal($"sender{i}@customer.test", row.MailFrom);
            Assert.Equal("support@mail.parley.test,sales@mail.parley.test", row.Recipients);
            Assert.Equal(InboundStatus.Pending, row.Status);
            Assert.Equal(Env.Clock.GetUtcNow(), row.ReceivedAt);
            Assert.Equal("smtp", row.Source);
        }
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_store()
    {
        await Env.RefuseInsertsAsync("Inbound", "refused by the test", "MailFrom", "refused@customer.test");
        var stores = Enumerable.Range(0, 20)
            .Select(i => StoreAsync(i == 7 ? "refused@customer.test" : $"sender{i}@customer.test", $"Subject: {i}\r\n\r\nHello\r\n"))
            .ToList();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => stores[7]);
        Assert.Contains("refused by the test", refused.ToString());
        var ids = await Task.WhenAll(stores.Where((_, i) => i != 7));
        Assert.Equal(19, ids.Distinct().Count());
        Assert.Equal(19, await Env.Db(db => db.Inbound.CountAsync()));
        // The refused message's raw bytes were rolled back with it.
        Assert.Equal(19, await Env.Db(db => db.RawMimes.CountAsync()));
    }
}

public sealed class InboundCommitQueueSqliteTests() : InboundCommitQueueTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class InboundCommitQueuePostgresTests(PostgresFixture pg) : InboundCommitQueueTests(new PostgresDatabaseFactory(pg));
