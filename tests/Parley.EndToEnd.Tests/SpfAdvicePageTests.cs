using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>The Domains page in a real browser: with a relay on this machine, the SPF record to publish names the public IP from Settings, never 127.0.0.1.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class SpfAdvicePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_relay_on_loopback_is_advised_as_the_public_address_from_settings()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.shop.test");
        await parley.PutAsync("/api/v1/settings/host", new { hostname = "mx.shop.test", publicIp = "203.0.113.7" });
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Local postfix", host = "127.0.0.1", port = 25, security = "none" });
        await parley.PostAsync("/api/v1/domains", new { name = "shop.test" });

        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/domains");
        var spf = page.Locator("#alias-domain .records tr", new() { HasText = "v=spf1" });
        await Assertions.Expect(spf.Locator(".record-value code")).ToHaveTextAsync("v=spf1 ip4:203.0.113.7 ~all");
        await Assertions.Expect(spf.Locator(".hint")).ToContainTextAsync("Relay \"Local postfix\" is on a private address (127.0.0.1)");
        Assert.DoesNotContain("ip4:127.0.0.1", await page.ContentAsync());
        await spf.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("spf-advice-local-relay") });
    }
}
