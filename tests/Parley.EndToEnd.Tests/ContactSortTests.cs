using System.Text.Json;
using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The contact list sorts as people read ("Bulk Person 2", "13", "129": numbers as numbers) by name, by email and by
/// last activity, and pages in that order: in a real browser on SQLite, and through the API on PostgreSQL.
/// </summary>
public sealed class ContactSortTests
{
    /// <summary>130 contacts "Bulk Person 1…130" (bulk1…130@), imported in a shuffled order.</summary>
    internal static async Task ImportBulkAsync(ParleyHost parley)
    {
        var numbers = Enumerable.Range(1, 130).OrderBy(i => (i * 37) % 131).ToList();
        var csv = "name,email\n" + string.Concat(numbers.Select(i => $"Bulk Person {i},bulk{i}@people.test\n"));
        using var import = await parley.Api.PostAsync("/api/v1/contacts/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
    }

    internal static List<string> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();

    internal static async Task AssertApiOrderAsync(ParleyHost parley)
    {
        var first = Names(await parley.GetAsync("/api/v1/contacts?sort=name&take=50"));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"Bulk Person {i}"), first);
        var second = Names(await parley.GetAsync("/api/v1/contacts?sort=name&skip=50&take=50"));
        Assert.Equal(Enumerable.Range(51, 50).Select(i => $"Bulk Person {i}"), second);
        var byEmail = Names(await parley.GetAsync("/api/v1/contacts?sort=email&skip=10&take=5"));
        Assert.Equal(Enumerable.Range(11, 5).Select(i => $"Bulk Person {i}"), byEmail);

        var id = (await parley.GetAsync("/api/v1/contacts?q=bulk77@")).GetProperty("items")[0].GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/records/contact/{id}/messages", new { kind = "note", body = "Called her today." });
        Assert.Equal("Bulk Person 77", Names(await parley.GetAsync("/api/v1/contacts?sort=activity&take=1"))[0]);
        using var wrong = await parley.Api.GetAsync("/api/v1/contacts?sort=shoe-size");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Collection(BrowserFixture.Collection)]
    public sealed class InTheBrowser(BrowserFixture browser)
    {
        [Fact]
        public async Task Names_sort_numbers_as_numbers_and_every_sort_pages()
        {
            await using var parley = await ParleyHost.ServeAsync();
            await ImportBulkAsync(parley);
            var page = await browser.SignedInPageAsync(parley);
            await using var _ = page.Context;

            await page.GotoAsync("/contacts");
            var names = page.Locator("#contacts tbody tr td:first-child");
            await Assertions.Expect(names.Nth(0)).ToHaveTextAsync("Bulk Person 1");
            await Assertions.Expect(names.Nth(1)).ToHaveTextAsync("Bulk Person 2");
            await Assertions.Expect(names.Nth(12)).ToHaveTextAsync("Bulk Person 13");
            await BrowserFixture.ScreenshotAsync(page, "contacts-sorted", fullPage: false);
            await page.SetViewportSizeAsync(390, 844);
            await BrowserFixture.ScreenshotAsync(page, "contacts-sorted-390", fullPage: false);
            await page.SetViewportSizeAsync(1280, 900);

            await page.ClickAsync("text=Next →");
            await Assertions.Expect(names.Nth(0)).ToHaveTextAsync("Bulk Person 51");
            await page.ClickAsync("text=Next →");
            await Assertions.Expect(names.Nth(28)).ToHaveTextAsync("Bulk Person 129");
            await Assertions.Expect(names.Nth(29)).ToHaveTextAsync("Bulk Person 130");

            await page.ClickAsync("#sort-email");
            await page.WaitForURLAsync(url => url.Contains("sort=email", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#contacts tbody tr td:nth-child(2)").Nth(2)).ToHaveTextAsync("bulk3@people.test");
            await page.ClickAsync("text=Next →");
            Assert.Contains("sort=email", page.Url);
            await Assertions.Expect(page.Locator("#contacts tbody tr td:nth-child(2)").Nth(0)).ToHaveTextAsync("bulk51@people.test");

            var id = (await parley.GetAsync("/api/v1/contacts?q=bulk120@")).GetProperty("items")[0].GetProperty("id").GetInt64();
            await parley.PostAsync($"/api/v1/records/contact/{id}/messages", new { kind = "note", body = "Called her today." });
            await page.GotoAsync("/contacts");
            await page.ClickAsync("#sort-activity");
            await Assertions.Expect(names.Nth(0)).ToHaveTextAsync("Bulk Person 120");
            await Assertions.Expect(page.Locator("#sort-activity")).ToHaveAttributeAsync("aria-current", "true");
        }
    }

    [Collection(PostgresFixture.Collection)]
    public sealed class OnPostgres(PostgresFixture postgres)
    {
        [Fact]
        public async Task The_database_sorts_and_pages_numbers_as_numbers()
        {
            var database = await postgres.CreateDatabaseAsync();
            await using var parley = await ParleyHost.ServeAsync(o => o with { Database = database });
            await ImportBulkAsync(parley);
            await AssertApiOrderAsync(parley);
        }
    }

    [Fact]
    public async Task The_api_sorts_the_same_on_sqlite()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await ImportBulkAsync(parley);
        await AssertApiOrderAsync(parley);
    }
}
