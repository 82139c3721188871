using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Data;
using Parley.Hosting;
using Parley.Testing;

namespace Parley.Tests.Contacts;

/// <summary>Contacts stored before the sort keys existed get them when Parley migrates, so the list sorts them too.</summary>
public sealed class ContactSortKeyBackfillTests
{
    [Fact]
    public async Task Migrating_fills_the_keys_that_older_rows_lack()
    {
        await using var parley = await ParleyHost.ServeAsync();
        foreach (var n in new[] { 129, 2, 13 })
        {
            await parley.PostAsync("/api/v1/contacts", new { name = $"Bulk Person {n}", email = $"bulk{n}@people.test" });
        }
        await using (var scope = parley.Services.CreateAsyncScope())
        {
            // As the FirstHour migration leaves rows it added the columns to.
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Contacts\" SET \"NameSortKey\" = '', \"EmailSortKey\" = ''");
        }

        await StorageSetup.MigrateAsync(parley.Services, default);

        var names = (await parley.GetAsync("/api/v1/contacts?sort=name")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["Bulk Person 2", "Bulk Person 13", "Bulk Person 129"], names);
        await using var check = parley.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<ParleyDbContext>().Contacts.AnyAsync(c => c.NameSortKey == "" || c.EmailSortKey == ""));
    }
}
