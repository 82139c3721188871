using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The Spam test page in Debian's Chromium: an empty history says what the page is for, "New test address" opens a test
/// that waits, and once swaks delivers a spammy message the report shows the score in its band, the sections with each
/// check and its fix, and the message as received.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class SpamTestBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_new_test_waits_for_its_message_then_shows_the_report()
    {
        await using var dns = await DnsmasqPeer.StartAsync(["txt-record=spoof.test,\"v=spf1 ip4:192.0.2.1 -all\"", "txt-record=_dmarc.spoof.test,\"v=DMARC1; p=reject\""]);
        await using var parley = await ParleyHost.ServeAsync(o => o with { Dns = dns.Server }, configure: b => b.Configuration["SpamTest:FetchLinks"] = "false");
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = "in.parley.test" });

        var page = await browser.NewPageAsync(parley.BaseUrl, timeoutMs: 20_000);
        await using var _ = page.Context;
        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync("/spam-tests");
        await Assertions.Expect(page.Locator(".empty")).ToContainTextAsync("No tests yet");
        await page.Locator("#new-spam-test").ClickAsync();
        await page.WaitForURLAsync("**/spam-tests/*");
        var address = await page.Locator(".test-address").InnerTextAsync();
        Assert.Matches("^test-[a-z2-9]{12}@in\\.parley\\.test$", address);
        await Assertions.Expect(page.Locator(".waiting")).ToContainTextAsync("Waiting for a message");
        await BrowserFixture.ScreenshotAsync(page, "spam-test-waiting");

        var sent = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "deals@spoof.test",
            To = [address],
            Helo = "mx.spoof.test",
            Headers = ["Subject: LAST CHANCE: 100% FREE GIFT!!!", "From: Deals <deals@spoof.test>"],
            Body = "Act now! Claim your prize at https://bit.ly/free-gift before it expires today.",
        });
        Assert.True(sent.ExitCode == 0, sent.Transcript);

        // The waiting page refreshes itself until the report is there.
        await Assertions.Expect(page.Locator(".score-card")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var score = double.Parse(await page.Locator(".score-value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(score <= 4, $"score {score}");
        await Assertions.Expect(page.Locator(".score-card")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("band-(bad|poor)"));
        var spf = page.Locator(".finding-fail[data-id='auth.spf']");
        await Assertions.Expect(spf.Locator(".finding-detail")).ToContainTextAsync("spf=fail");
        await Assertions.Expect(spf.Locator(".fix-name")).ToHaveTextAsync("spoof.test");
        await Assertions.Expect(page.Locator(".finding-fail[data-id='content.subject-caps']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".spam-section")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator(".received-chain li").First).ToContainTextAsync("mx.spoof.test");
        await page.Locator("summary", new() { HasText = "Text" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mail-text")).ToContainTextAsync("Claim your prize");
        await BrowserFixture.ScreenshotAsync(page, "spam-test-report");
        await page.Locator(".score-card").ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("spam-test-score") });

        // The history lists it with its score.
        await page.GotoAsync("/spam-tests");
        await Assertions.Expect(page.Locator(".spam-history .score-chip")).ToHaveTextAsync(score.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        await BrowserFixture.ScreenshotAsync(page, "spam-test-history");
    }
}
