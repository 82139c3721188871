using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Parley.Core.Data;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Times in the user's time zone, in a real browser: the browser's zone is detected at the first visit and stored as
/// the user's setting, every page's times go through the one formatter, and the Account page changes it.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class TimeZoneBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_browsers_zone_is_detected_once_and_the_account_page_changes_it()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = "in.parley.test" });
        var ana = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@example.invalid" })).GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/records/contact/{ana}/messages", new { kind = "note", body = "Timed note." });
        await parley.PostAsync($"/api/v1/records/contact/{ana}/messages", new { kind = "email", subject = "Timed email", body = "Hello" });

        // India has no summer time: the offset is +5:30 all year.
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = parley.BaseUrl.ToString(), TimezoneId = "Asia/Kolkata", ViewportSize = new() { Width = 1280, Height = 900 } });
        await using var _ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        // Chromium may name it by its older alias (Asia/Calcutta): the same zone.
        var detected = await Eventually.UntilAsync(ZoneOfAdminAsync(parley), zone => zone is not null, TimeSpan.FromSeconds(15), "the browser's zone is stored");
        Assert.Equal(TimeSpan.FromMinutes(330), TimeZoneInfo.FindSystemTimeZoneById(detected!).BaseUtcOffset);

        await page.GotoAsync($"/contacts/{ana}");
        var time = page.Locator(".entry.note .meta time");
        await Assertions.Expect(time).ToHaveTextAsync(new Regex(@"^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC\+5:30$"));
        var utc = DateTimeOffset.Parse((await time.GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        var local = utc.ToOffset(TimeSpan.FromMinutes(330));
        await Assertions.Expect(time).ToContainTextAsync(local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var path in new[] { "/outbox", "/inbound", "/" })
        {
            await page.GotoAsync(path);
            Assert.DoesNotContain(" UTC<", await page.ContentAsync(), StringComparison.Ordinal);
        }
        await Assertions.Expect(page.Locator("#today h2")).ToContainTextAsync($"({detected})"); // the home page's "today" is her day

        // Chosen on the Account page, the zone wins over the browser's, and detection does not undo it.
        await page.GotoAsync("/account");
        await Assertions.Expect(page.Locator("select[name=TimeZone]")).ToHaveValueAsync(detected!);
        await page.SelectOptionAsync("select[name=TimeZone]", "Etc/UTC");
        await page.ClickAsync("#time-zone-form button[type=submit]");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Times are now shown in Etc/UTC");
        await BrowserFixture.ScreenshotAsync(page, "account-time-zone");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "account-time-zone-390");
        await page.GotoAsync($"/contacts/{ana}");
        await Assertions.Expect(time).ToHaveTextAsync(new Regex(@" UTC$"));
        Assert.Equal("Etc/UTC", await ZoneOfAdminAsync(parley)());
    }

    private static Func<Task<string?>> ZoneOfAdminAsync(ParleyHost parley) => async () =>
    {
        await using var scope = parley.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        return db.Users.Where(u => u.Email == ParleyHost.AdminEmail).Select(u => u.TimeZone).Single();
    };
}
