using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>The doctor in a real browser (Debian's Chromium): "Check now" on the Domains page shows the findings and the records to publish.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class DoctorBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Check_now_shows_the_findings_grouped_by_area_with_the_records_to_publish()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var scenario = await DoctorScenario.CreateAsync(sink.Port);
        await using var dns = await DnsmasqPeer.StartAsync(scenario.BrokenZone());
        await using var parley = await scenario.StartAsync(dns);
        var domainId = (await parley.GetAsync($"/api/v1/domains/{DoctorScenario.Domain}")).GetProperty("id").GetInt64();

        var page = await browser.NewPageAsync(parley.BaseUrl, timeoutMs: 20_000);
        await using var _ = page.Context;
        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");

        await page.GotoAsync("/domains");
        var doctor = page.Locator("[id='doctor-shop.test']");
        await Assertions.Expect(doctor.Locator(".doctor-time")).ToContainTextAsync("Not checked yet");
        await doctor.Locator("button.doctor-check").ClickAsync();
        await page.WaitForURLAsync("**/domains#doctor-shop.test");

        doctor = page.Locator("[id='doctor-shop.test']");
        await Assertions.Expect(doctor.Locator(".doctor-time")).ToContainTextAsync("Last checked");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Checked shop.test. 2 checks fail");
        var spf = doctor.Locator(".finding-fail[data-id='spf.missing']");
        await Assertions.Expect(spf.Locator(".fix-name")).ToHaveTextAsync(DoctorScenario.Alias);
        await Assertions.Expect(spf.Locator(".fix-value")).ToHaveTextAsync(scenario.Spf.Value);
        var dkim = doctor.Locator(".finding-fail[data-id='dkim.key-mismatch']");
        await Assertions.Expect(dkim.Locator(".fix-value")).ToHaveTextAsync(scenario.RsaDkim.Value);
        await Assertions.Expect(dkim.Locator("button.copy")).ToHaveAttributeAsync("data-copy", scenario.RsaDkim.Value);
        // Grouped by area, each area headed by its worst result.
        await Assertions.Expect(doctor.Locator(".doctor-area[data-area='spf'] h4 .sev")).ToHaveTextAsync("fail");
        await Assertions.Expect(doctor.Locator(".doctor-area[data-area='dmarc'] h4 .sev")).ToHaveTextAsync("warn");
        await Assertions.Expect(doctor.Locator(".doctor-area[data-area='dkim'] .finding-pass")).ToHaveCountAsync(1);
        await doctor.ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "domains-doctor");
        await doctor.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("domains-doctor-findings") });

        // The button shows that the checks run (they take a moment with real DNS).
        await page.EvaluateAsync("() => document.querySelector(\"[id='doctor-shop.test'] form.doctor-check-form\").addEventListener('submit', e => e.preventDefault())");
        await doctor.Locator("button.doctor-check").ClickAsync();
        await Assertions.Expect(doctor.Locator("button.doctor-check")).ToHaveTextAsync("Checking…");
        await Assertions.Expect(doctor.Locator("button.doctor-check")).ToBeDisabledAsync();

        // The first check is the first event of the domain's Deliverability record.
        await page.GotoAsync($"/deliverability/{domainId}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Deliverability of shop.test");
        await Assertions.Expect(page.Locator(".entry.event").First).ToContainTextAsync("First check; SPF fails: No SPF record");
        await BrowserFixture.ScreenshotAsync(page, "deliverability-timeline");
    }
}
