using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>Two small answers a new user expects in a real browser: a Copy button on a new API token, and a word after adding a contact.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class SmallConfirmationTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_new_api_token_has_a_copy_button_that_puts_it_on_the_clipboard()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = parley.BaseUrl.GetLeftPart(UriPartial.Authority) });
        await page.GotoAsync("/settings/tokens");
        await page.FillAsync("input[name=TokenName]", "script");
        await page.ClickAsync("form:has(input[name=TokenName]) button[type=submit]");

        var secret = await page.Locator("#new-token").TextContentAsync();
        Assert.StartsWith("pk_", secret);
        await page.ClickAsync("#copy-new-token");
        await Assertions.Expect(page.Locator("#copy-new-token")).ToHaveTextAsync("Copied");
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("token-copy"), FullPage = true });
    }

    [Fact]
    public async Task Adding_a_contact_says_so_on_the_page_it_opens()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/contacts");
        await page.ClickAsync("summary:has-text('New contact')");
        await page.FillAsync("input[name='New.Name']", "Ana Lima");
        await page.FillAsync("input[name='New.Email']", "ana@customer.test");
        await page.ClickAsync("form:has(input[name='New.Name']) button[type=submit]");

        await page.WaitForURLAsync("**/contacts/*");
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Ana Lima <ana@customer.test> was added to your contacts.");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Ana Lima");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("contact-added"), FullPage = true });
    }
}
