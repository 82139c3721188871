using System.Globalization;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The mailing pages in a real browser: the empty list says what a mailing is, a mailing is scheduled with the form,
/// its page follows it live (state and counts move without a reload) until it is sent, and its history lists every
/// recipient with its state.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class MailingPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Schedule_a_mailing_watch_its_progress_move_and_open_its_history()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithRelayAsync(sink, relayName: "bulk relay");
        foreach (var (name, email) in new[] { ("Ana Lima", "ana@customer.test"), ("Bruno Sousa", "bruno@customer.test"), ("Chloé Martin", "chloe@customer.test") })
        {
            await parley.PostAsync("/api/v1/contacts", new { name, email, tags = "spring" });
        }
        await parley.AddTemplateAsync("Spring offer", "Spring offer for {{ record.first_name }}", "Hello {{ record.name }}, 20% off this week.");

        var page = await browser.SignedInPageAsync(parley, timeoutMs: 30_000);
        await using var _ = page.Context;
        await page.GotoAsync("/mailings");
        await Assertions.Expect(page.Locator("#no-mailings")).ToContainTextAsync("A mailing sends one template to many contacts");
        await BrowserFixture.ScreenshotAsync(page, "mailings-empty");

        // Scheduled a few seconds ahead, paced at one a second so the counts visibly move.
        await page.FillAsync("input[name=Name]", "Spring offer");
        await page.FillAsync("input[name=Tag]", "spring");
        await page.CheckAsync("input[name=When][value=schedule]");
        // Far enough ahead that a busy machine still submits the form before the time (a time past is refused).
        var at = DateTime.UtcNow.AddSeconds(12);
        // Chromium shows ":00" seconds as "HH:mm", which Playwright's fill then takes for a malformed value.
        at = at.Second == 0 ? at.AddSeconds(1) : at;
        await page.FillAsync("input[name=ScheduledAt]", at.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        await page.FillAsync("input[name=PerHour]", "3600");
        await BrowserFixture.ScreenshotAsync(page, "mailings-new-form");
        await page.ClickAsync("#create-mailing");
        await page.WaitForURLAsync("**/mailings/*");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("is scheduled for");
        await Assertions.Expect(page.Locator("#mailing-state")).ToHaveTextAsync("scheduled");
        await Assertions.Expect(page.Locator("#count-total")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#no-recipients")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "mailing-scheduled");

        // Nothing reloads the page from here on: the marker survives only if the counts move by the live stream.
        await page.EvaluateAsync("() => { window.mailingMarker = 'still here'; }");
        await Assertions.Expect(page.Locator("#mailing-state")).ToHaveTextAsync("sending");
        await Assertions.Expect(page.Locator("#count-sent")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[12]$"));
        await BrowserFixture.ScreenshotAsync(page, "mailing-sending");
        await Assertions.Expect(page.Locator("#count-sent")).ToHaveTextAsync("3", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#mailing-state")).ToHaveTextAsync("sent");
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.mailingMarker"));
        await sink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(10));

        // The history: every recipient with its state; the filter shows only the ones in one state.
        await Assertions.Expect(page.Locator("#recipients tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#recipients .state-sent")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "mailing-history");
        await page.GotoAsync("/mailings");
        await Assertions.Expect(page.Locator("#mailings tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#mailings .mailing-sent")).ToHaveTextAsync("sent");
        await BrowserFixture.ScreenshotAsync(page, "mailings-list");
        await page.ClickAsync("#mailings a");
        await page.ClickAsync("nav.stats a.stat:has-text('sent')");
        await Assertions.Expect(page.Locator("#recipients tbody tr")).ToHaveCountAsync(3);

        // Each contact's timeline has one line for it, linking back.
        var contact = (await parley.GetAsync("/api/v1/contacts?q=ana")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetInt64();
        await page.GotoAsync($"/contacts/{contact}");
        await Assertions.Expect(page.Locator(".mailing-line .kind")).ToContainTextAsync("Mailing Spring offer sent");
        await BrowserFixture.ScreenshotAsync(page, "mailing-chatter-line");
    }

    [Fact]
    public async Task A_template_gets_a_translation_previewed_in_its_language_and_a_contact_its_language()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var ana = await parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var template = await parley.AddTemplateAsync("Spring offer", "Spring offer for {{ record.first_name }}", "Hello {{ record.name }}!");

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync($"/contacts/{ana}");
        await page.ClickAsync("details summary");
        await page.FillAsync("input[name='Edit.Language']", "PT");
        await page.ClickAsync("form[action*=Edit] button[type=submit]");
        await Assertions.Expect(page.Locator("dl")).ToContainTextAsync("pt");

        await page.GotoAsync($"/templates/edit/{template}");
        await page.FillAsync("input[name=TranslationLanguage]", "pt");
        await page.FillAsync("input[name=TranslationSubject]", "Oferta para {{ record.prenome }}");
        await page.FillAsync("textarea[name=TranslationBody]", "Olá {{ record.name }}!");
        await page.ClickAsync("#add-translation button[type=submit]");
        await Assertions.Expect(page.Locator("#add-translation .field-error")).ToContainTextAsync("record.prenome");
        await page.FillAsync("input[name=TranslationSubject]", "Oferta para {{ record.first_name }}");
        await page.ClickAsync("#add-translation button[type=submit]");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("The \"pt\" translation is saved");
        await Assertions.Expect(page.Locator("#translations tbody tr")).ToHaveCountAsync(1);

        await page.SelectOptionAsync("#preview-language", "pt");
        await page.ClickAsync("button[formaction*=Preview], button:has-text('Preview')");
        await Assertions.Expect(page.Locator("#preview .subject")).ToHaveTextAsync("Oferta para Ana");
        await BrowserFixture.ScreenshotAsync(page, "mailing-template-translation");
    }
}
