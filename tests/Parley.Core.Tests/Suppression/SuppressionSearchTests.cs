using Parley.Core.Suppression;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Suppression;

public abstract class SuppressionSearchTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    [Fact]
    public async Task Search_pages_newest_first_and_counts_every_match()
    {
        foreach (var address in new[] { "a1@shop.test", "b2@other.test", "c3@shop.test", "d4@shop.test" })
        {
            await Env.With<SuppressionService, SuppressedAddress>(s => s.AddAsync(address, null, default));
        }

        var (first, total) = await SearchAsync(" SHOP ", 0, 2);
        var (second, _) = await SearchAsync("shop", 2, 2);
        var (all, everything) = await SearchAsync(null, 0, 50);

        Assert.Equal(3, total);
        Assert.Equal(["d4@shop.test", "c3@shop.test"], first.Select(s => s.Address));
        Assert.Equal(["a1@shop.test"], second.Select(s => s.Address));
        Assert.Equal(4, everything);
        Assert.Equal(4, all.Count);
    }

    private Task<(List<SuppressedAddress> Page, int Total)> SearchAsync(string? query, int skip, int take) =>
        Env.With<SuppressionService, (List<SuppressedAddress>, int)>(s => s.SearchAsync(query, skip, take, default));
}

public sealed class SuppressionSearchSqliteTests() : SuppressionSearchTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class SuppressionSearchPostgresTests(PostgresFixture pg) : SuppressionSearchTests(new PostgresDatabaseFactory(pg));
