using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Data;
using Parley.Core.Identity;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// On PostgreSQL (read committed, several nodes) the first admin is made once even when two nodes are asked at the
/// same moment: what decides is the database's unique key, not a check before the insert.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FirstAdminOnPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Eight_concurrent_first_admins_over_two_nodes_make_exactly_one()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = await ParleyHost.ServeAsync(o => o with { Database = database }, seedAdmin: false);
        await using var second = await ParleyHost.ServeAsync(o => o with { Database = database }, seedAdmin: false);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var scope = (i % 2 == 0 ? first : second).Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<UserService>().CreateFirstAdminAsync($"Admin {i}", $"admin{i}@parley.test", "correct horse battery", default);
        }));

        Assert.Single(created, u => u is not null);
        await using var check = first.Services.CreateAsyncScope();
        Assert.Equal(1, await check.ServiceProvider.GetRequiredService<ParleyDbContext>().Users.CountAsync());
    }
}
