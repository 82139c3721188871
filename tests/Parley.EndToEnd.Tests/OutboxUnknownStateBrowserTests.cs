using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>The Outbox page asked for a state it does not have: a clear message, every row, and never the raw value.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class OutboxUnknownStateBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_unknown_state_says_so_lists_every_row_and_does_not_echo_the_value()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = "mail.shop.test" });
        // Two emails to reserved domains that accept no mail, so they stay in the outbox as rows of some state.
        var contact = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@example.invalid" })).GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", subject = "First", body = "Hello" });
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", subject = "Second", body = "Hello again" });
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        const string Odd = "zzmarker<b>x</b>";
        await page.GotoAsync("/outbox?state=" + Uri.EscapeDataString(Odd));

        await Assertions.Expect(page.Locator("#unknown-state")).ToContainTextAsync("a state the outbox does not have, so every email is listed");
        await Assertions.Expect(page.Locator("#outbox tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("nav.stats a.current")).ToHaveTextAsync("all");
        Assert.DoesNotContain("zzmarker", await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "outbox-unknown-state");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "outbox-unknown-state-390");

        // A number is not a state either (the enum's integers are not how anyone spells one).
        await page.GotoAsync("/outbox?state=2");
        await Assertions.Expect(page.Locator("#unknown-state")).ToBeVisibleAsync();
        await page.GotoAsync("/outbox?state=Queued");
        await Assertions.Expect(page.Locator("#unknown-state")).ToHaveCountAsync(0);
    }
}
