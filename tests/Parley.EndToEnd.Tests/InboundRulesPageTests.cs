using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The inbound rules page in a real browser: read the rules in plain words, change the catchall and loop protection,
/// see a bad value refused next to its field, and see "reject" refuse an unknown address at RCPT time.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class InboundRulesPageTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string AliasDomain = "rules.parley.test";

    [Fact]
    public async Task Change_the_rules_in_the_browser_and_the_reject_catchall_refuses_unknown_addresses()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain);

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        // The Inbound page summarises the rules and links to the page that changes them (no more "use the API").
        await page.GotoAsync("/inbound");
        await Assertions.Expect(page.Locator("#rules")).ToContainTextAsync("is kept in Inbound mail for you to assign");
        await Assertions.Expect(page.Locator("#rules")).Not.ToContainTextAsync("/api/v1");
        await BrowserFixture.ScreenshotAsync(page, "inbound-rules-summary");
        await page.ClickAsync("#rules-link");
        await page.WaitForURLAsync("**/inbound/rules");
        await Assertions.Expect(page.Locator("#now-catchall")).ToContainTextAsync($"({AliasDomain}) is kept in Inbound mail for you to assign");
        await Assertions.Expect(page.Locator("#now-loop")).ToContainTextAsync("Loop protection stops posting after 20 messages from one sender within 120 minutes");
        await Assertions.Expect(page.Locator("#now-bounces")).ToContainTextAsync("suppressed after 1 hard bounce");
        await Assertions.Expect(page.Locator("input[name='Rules.Catchall'][value=KeepUnrouted]")).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, "inbound-rules");

        // Refuse unknown addresses and tighten loop protection.
        await page.GetByLabel("Refuse it during the SMTP conversation (550)").CheckAsync();
        await page.FillAsync("input[name='Rules.LoopLimit']", "5");
        await page.ClickAsync("#change-rules button[type=submit]");
        var flash = page.Locator(".flash");
        await Assertions.Expect(flash).ToContainTextAsync("mail to an unknown address on your alias domain is refused during the SMTP conversation (550)");
        await Assertions.Expect(flash).ToContainTextAsync("loop protection stops posting after 5 messages from one sender within 120 minutes");
        await Assertions.Expect(flash).Not.ToContainTextAsync("hard bounce");
        await Assertions.Expect(page.Locator("#now-catchall strong")).ToHaveTextAsync("is refused during the SMTP conversation (550)");
        await Assertions.Expect(page.Locator("input[name='Rules.Catchall'][value=Reject]")).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, "inbound-rules-saved");

        var stored = await parley.GetAsync("/api/v1/inbound/settings");
        output.WriteLine(stored.ToString());
        Assert.Equal("reject", stored.GetProperty("catchall").GetString());
        Assert.Equal(5, stored.GetProperty("loopLimit").GetInt32());
        Assert.Equal(120, stored.GetProperty("loopWindowMinutes").GetInt32());
        Assert.Equal(1, stored.GetProperty("hardBounceThreshold").GetInt32());

        // A negative limit is refused next to its field, the typed value stays, and nothing is stored.
        await page.FillAsync("input[name='Rules.LoopLimit']", "-3");
        await page.GetByLabel("Start a contact thread for the sender").CheckAsync();
        await page.ClickAsync("#change-rules button[type=submit]");
        await Assertions.Expect(page.Locator("#loop .field-error")).ToHaveTextAsync("Use 0 (off) or a number of messages up to 1,000,000.");
        await Assertions.Expect(page.Locator("#bounces .field-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("input[name='Rules.LoopLimit']")).ToHaveValueAsync("-3");
        await Assertions.Expect(page.Locator(".flash")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#not-saved")).ToContainTextAsync("Nothing was saved yet");
        await BrowserFixture.ScreenshotAsync(page, "inbound-rules-error");
        stored = await parley.GetAsync("/api/v1/inbound/settings");
        Assert.Equal(("reject", 5), (stored.GetProperty("catchall").GetString(), stored.GetProperty("loopLimit").GetInt32()));

        // The rule acts: an unknown address on the alias domain is refused at RCPT (the policy caches rules for up to 10 s).
        var refused = await Eventually.UntilAsync(
            () => Swaks.SendAsync(new SwaksOptions { Port = parley.SmtpPort, From = "bruno@newco.test", To = [$"nobody@{AliasDomain}"], QuitAfter = "RCPT" }),
            r => r.Transcript.Contains("550 5.1.1"), TimeSpan.FromSeconds(20), "RCPT to an unknown address is refused with 550 5.1.1",
            every: TimeSpan.FromMilliseconds(500));
        output.WriteLine(refused.Transcript);
        Assert.Equal(0, (await parley.GetAsync("/api/v1/inbound/stats")).GetProperty("received").GetInt32());
    }
}
