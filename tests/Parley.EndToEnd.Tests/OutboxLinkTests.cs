using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>The Outbox in a real browser: every row links to the timeline entry of its own record, whatever its type, and shows its subject.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class OutboxLinkTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_doctor_email_and_a_contact_email_each_link_to_their_own_record_with_their_subject()
    {
        await using var dns = await DnsmasqPeer.StartAsync([]);
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.shop.test", o => o with { Dns = dns.Server });
        // Contact 1 and sending domain 1: the same id in two record types, as in the report.
        var ana = await parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var domain = (await parley.PostAsync("/api/v1/domains", new { name = "shop.test" })).GetProperty("id").GetInt64();
        Assert.Equal(ana, domain);
        await parley.GetAsync("/api/v1/domains/shop.test/doctor"); // the first check is a change: posted and emailed to the admin
        var doctorEvent = await parley.WaitForMessageAsync($"/api/v1/records/deliverability/{domain}", m => m.GetProperty("kind").GetString() == "event");
        var email = await parley.PostAsync($"/api/v1/records/contact/{ana}/messages", new { kind = "email", subject = "Your quote", body = "Hi Ana" });

        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/outbox");
        var doctorRow = page.Locator("#outbox tbody tr", new() { HasText = ParleyHost.AdminEmail });
        var anaRow = page.Locator("#outbox tbody tr", new() { HasText = "ana@customer.test" });
        await Assertions.Expect(doctorRow.Locator("td").Nth(1)).ToContainTextAsync("Deliverability of shop.test: First check; SPF fails: No SPF record");
        await Assertions.Expect(anaRow.Locator("td").Nth(1)).ToHaveTextAsync("Your quote");
        await Assertions.Expect(doctorRow.Locator("a")).ToHaveAttributeAsync("href", $"/deliverability/{domain}#m-{doctorEvent.GetProperty("id").GetInt64()}");
        await Assertions.Expect(anaRow.Locator("a")).ToHaveAttributeAsync("href", $"/contacts/{ana}#m-{email.GetProperty("id").GetInt64()}");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("outbox-links"), FullPage = true });

        await doctorRow.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/deliverability/{domain}#m-*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Deliverability of shop.test");
        var entry = page.Locator($"#m-{doctorEvent.GetProperty("id").GetInt64()}");
        await Assertions.Expect(entry).ToContainTextAsync("First check");
        await Assertions.Expect(entry.Locator(".subject")).ToHaveCountAsync(0); // the event says it in its text, once
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("outbox-link-deliverability"), FullPage = true });
    }
}
