using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>The outgoing server's Test button in a real browser: a failure shows what was said before it, or no transcript box at all.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class RelayTestPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_failed_test_shows_the_dialogue_before_the_failure_or_no_empty_box()
    {
        await using var sink = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HardReject = ["RCPT"] });
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.parley.test");
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Nobody home", host = "127.0.0.1", port = FreePort.Get(), security = "none" });
        await parley.PostAsync("/api/v1/outgoing-servers", new { name = "Picky relay", host = "127.0.0.1", port = sink.Port, security = "none" });

        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/settings");
        await page.Locator("#servers tr", new() { HasText = "Nobody home" }).Locator("button", new() { HasText = "Test" }).ClickAsync();
        await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("\"Nobody home\" failed at Connect");
        await Assertions.Expect(page.Locator(".transcript")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("relay-test-refused"), FullPage = true });

        await page.Locator("#servers tr", new() { HasText = "Picky relay" }).Locator("button", new() { HasText = "Test" }).ClickAsync();
        await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("\"Picky relay\" failed at RcptTo");
        var transcript = page.Locator(".transcript");
        await Assertions.Expect(transcript).ToContainTextAsync("MAIL FROM:<notifications@mail.parley.test>");
        await Assertions.Expect(transcript).ToContainTextAsync("RCPT TO:<postmaster@mail.parley.test>");
        await Assertions.Expect(transcript).ToContainTextAsync("S: 500 5.3.0 Error: command failed"); // what the relay said, before the failure line
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("relay-test-rejected"), FullPage = true });
    }
}
