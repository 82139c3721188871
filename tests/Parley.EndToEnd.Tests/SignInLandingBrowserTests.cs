using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>Where signing in lands, in a real browser: the dashboard, or the local page the login was asked for on the way to.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class SignInLandingBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Signing_in_lands_on_the_dashboard()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.NewPageAsync(parley.BaseUrl);
        await using var _ = page.Context;

        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page);

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator("#needing-decision")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_in_from_a_page_that_asked_for_it_goes_back_there_but_never_to_another_site()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.NewPageAsync(parley.BaseUrl);
        await using var _ = page.Context;

        await page.GotoAsync("/outbox?state=failed");
        await page.WaitForURLAsync("**/login?ReturnUrl=*");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync("**/outbox?state=failed");

        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/login?ReturnUrl=" + Uri.EscapeDataString("https://evil.test/phish"));
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        Assert.Equal(parley.BaseUrl.Authority, new Uri(page.Url).Authority);
    }
}
