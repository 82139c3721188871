using System.Net;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>Sign out in a real browser: it lands on the login page, and the session cookie it had is dead everywhere.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class SignOutBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Signing_out_lands_on_the_login_page_and_the_old_cookie_no_longer_works()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "parley.auth");

        await page.ClickAsync("form.logout button[type=submit]");

        await page.WaitForURLAsync("**/login");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in to Parley");
        await page.GotoAsync("/contacts");
        await page.WaitForURLAsync("**/login?ReturnUrl=%2Fcontacts");

        // The cookie as it was before signing out, replayed from elsewhere.
        using var copied = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = parley.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/contacts");
        request.Headers.Add("Cookie", $"parley.auth={session.Value}");
        var response = await copied.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery);
    }
}
