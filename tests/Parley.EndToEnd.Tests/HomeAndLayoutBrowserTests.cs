using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Parley.Core.Data;
using Parley.Core.Doctor;
using Parley.Deliverability.Doctor;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The home page, the folded Domains page, helpful empty states and the small-screen layout, in a real browser
/// (Debian's Chromium), with screenshots at desktop width and at 390 px.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class HomeAndLayoutBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Empty_pages_say_what_they_are_for_and_the_home_page_links_to_where_each_figure_is_handled()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        foreach (var (path, next) in new[] { ("/contacts", "/contacts?new=true#new-contact"), ("/outbox", "/contacts"), ("/inbound", "/inbound/aliases"), ("/templates", "/templates/edit") })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator($"#empty-next a[href='{next}']")).ToBeVisibleAsync();
        }
        await page.GotoAsync("/contacts");
        await page.ClickAsync("#empty-next a[href='/contacts?new=true#new-contact']");
        await Assertions.Expect(page.Locator("#new-contact input:not([type=hidden])").First).ToBeVisibleAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#needing-decision strong")).ToHaveTextAsync("0");
        await BrowserFixture.ScreenshotAsync(page, "home-desktop");
        await page.ClickAsync("#outbox-failed");
        await page.WaitForURLAsync("**/outbox?state=failed");
        await Assertions.Expect(page.Locator("nav.stats a.current")).ToContainTextAsync("failed");
    }

    [Fact]
    public async Task Domains_fold_to_a_verdict_and_show_the_alias_records_once()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.shop.test");
        foreach (var name in new[] { "shop.test", "other.test", "mail.shop.test" })
        {
            await parley.PostAsync("/api/v1/domains", new { name });
        }
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync("/domains");
        await Assertions.Expect(page.Locator("#alias-domain .records tr", new() { HasText = "v=spf1" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alias-domain .records tr", new() { HasText = "MX" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("details.domain .records tr", new() { HasText = "v=spf1" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#alias-also-sending")).ToContainTextAsync("mail.shop.test is also added as a sending domain");
        await Assertions.Expect(page.Locator("details.domain .domain-verdict")).ToHaveTextAsync(["not checked yet", "not checked yet", "not checked yet"]);

        // Once checked (here: a stored result, no DNS), a domain folds to its status line; a click opens the checks.
        await StoreDoctorResultAsync(parley, "other.test");
        await page.GotoAsync("/domains");
        var other = page.Locator("[id='domain-other.test']");
        await Assertions.Expect(other).Not.ToHaveAttributeAsync("open", "");
        await Assertions.Expect(other.Locator(".records")).Not.ToBeVisibleAsync();
        await other.Locator("summary").ClickAsync();
        await Assertions.Expect(other.Locator(".records")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "domains-folded");
    }

    [Fact]
    public async Task At_390_px_no_main_page_scrolls_sideways_and_the_menu_opens()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.shop.test");
        await parley.PostAsync("/api/v1/domains", new { name = "shop.test" });
        var contact = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana.lima.with.a.long.address@customer-with-a-long-name.test", company = "Lima Bakery", tags = "vip" })).GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "note", body = "She asked for a discount on https://customer-with-a-long-name.test/a/very/long/path/that/does/not/break/anywhere/at/all/x" });
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.SetViewportSizeAsync(390, 844);

        foreach (var (path, name) in new[] { ("/", "home"), ("/contacts", "contacts"), ($"/contacts/{contact}", "contact"), ("/outbox", "outbox"),
                     ("/domains", "domains"), ("/inbound", "inbound"), ("/settings", "settings") })
        {
            await page.GotoAsync(path);
            var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var inner = await page.EvaluateAsync<int>("() => window.innerWidth");
            await BrowserFixture.ScreenshotAsync(page, $"narrow-{name}");
            Assert.True(scroll <= inner, $"{path} is {scroll} px wide in a {inner} px window.");
        }

        await Assertions.Expect(page.Locator(".topbar nav")).Not.ToBeVisibleAsync();
        await page.ClickAsync("label.menu-button");
        await Assertions.Expect(page.Locator(".topbar nav a[href='/outbox']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "narrow-menu-open", fullPage: false);
        await page.ClickAsync(".topbar nav a[href='/outbox']");
        await page.WaitForURLAsync("**/outbox");
    }

    private static async Task StoreDoctorResultAsync(ParleyHost parley, string domain)
    {
        using var scope = parley.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var id = db.SendingDomains.Single(d => d.Name == domain).Id;
        var report = new DoctorReport(domain, DateTimeOffset.UtcNow, [new Finding("spf.missing", FindingSeverity.Fail, "No SPF record", "Publish one.")]);
        db.DoctorRuns.Add(new DoctorRun { SendingDomainId = id, CheckedAt = report.CheckedAt, FindingsJson = DoctorReportJson.Serialize(report) });
        await db.SaveChangesAsync();
    }
}
