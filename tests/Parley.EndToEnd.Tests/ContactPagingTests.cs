using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>The contact list's pager keeps the search, even one with characters that mean something in a URL.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class ContactPagingTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_next_page_of_a_search_with_an_ampersand_is_still_that_search()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var csv = "name,email,company\n" + string.Concat(Enumerable.Range(1, 55).Select(i => $"Baker {i},baker{i}@lima.test,Lima & Co\n"))
                  + "Other Person,other@else.test,Else Ltd\n";
        using (var import = await parley.Api.PostAsync("/api/v1/contacts/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv")))
        {
            Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        }

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync("/contacts?q=" + Uri.EscapeDataString("Lima & Co"));
        await Assertions.Expect(page.GetByText("Page 1 of 2")).ToBeVisibleAsync();
        await page.ClickAsync("text=Next →");
        await Assertions.Expect(page.GetByText("Page 2 of 2")).ToBeVisibleAsync();
        Assert.Contains("q=Lima%20%26%20Co", page.Url);
        await Assertions.Expect(page.Locator("text=Other Person")).ToHaveCountAsync(0);
    }
}
