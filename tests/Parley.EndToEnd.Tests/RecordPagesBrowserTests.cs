using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Record types in a real browser: an admin defines a type on the record types page (a bad field first, refused and
/// named), creates a record from its list, drags it to another stage on the kanban board, and finds the stage change
/// in the record's chatter with who made it. Each page leaves a screenshot (records-*.png).
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class RecordPagesBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Define_a_type_create_a_record_drag_it_on_the_board_and_see_the_event_in_its_chatter()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var contact = await parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync("/records");
        await Assertions.Expect(page.Locator(".empty")).ToContainTextAsync("No record types yet");
        await BrowserFixture.ScreenshotAsync(page, "records-empty");
        await page.GotoAsync("/record-types");
        await page.ClickAsync("#new-type");
        await page.WaitForURLAsync("**/record-types/new");

        await page.FillAsync("input[name='Form.Key']", "quotation");
        await page.FillAsync("input[name='Form.Name']", "Quotations");
        await page.FillAsync("input[name='Form.SingularLabel']", "Quotation");
        await page.FillAsync("input[name='Form.Prefix']", "Q-");
        // The blank type has subject and customer; add an amount, and a choice field without choices (refused).
        foreach (var (row, key, label, type) in new[] { (2, "amount", "Amount", "money"), (3, "priority", "Priority", "choice") })
        {
            await page.FillAsync($"input[name='Form.Fields[{row}].Key']", key);
            await page.FillAsync($"input[name='Form.Fields[{row}].Label']", label);
            await page.SelectOptionAsync($"select[name='Form.Fields[{row}].Type']", type);
        }
        await page.FillAsync("input[name='Form.Fields[2].Currency']", "EUR");
        await page.CheckAsync("input[name='Form.Fields[2].Tracked']");
        foreach (var (row, key, name) in new[] { (0, "draft", "Draft"), (1, "sent", "Sent"), (2, "won", "Won"), (3, "lost", "Lost") })
        {
            await page.FillAsync($"input[name='Form.Stages[{row}].Key']", key);
            await page.FillAsync($"input[name='Form.Stages[{row}].Name']", name);
        }
        await page.CheckAsync("input[name='Form.DoneRow'][value='2']");
        await page.CheckAsync("input[name='Form.CancelledRow'][value='3']");
        await page.ClickAsync("#save-type");
        await Assertions.Expect(page.Locator("#type-errors")).ToContainTextAsync("choice field needs");
        await BrowserFixture.ScreenshotAsync(page, "records-type-refused");
        Assert.Equal(0, (await parley.GetAsync("/api/v1/record-types")).GetArrayLength());

        await page.FillAsync("input[name='Form.Fields[3].Choices']", "Low, High");
        await page.ClickAsync("#save-type");
        await page.WaitForURLAsync("**/records/quotation");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Quotations are ready");
        await BrowserFixture.ScreenshotAsync(page, "records-list-empty");

        await page.FillAsync("#field-subject", "Website redesign");
        await page.SelectOptionAsync("#field-customer", contact.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#field-amount", "1200");
        await page.SelectOptionAsync("#field-priority", "High");
        await page.ClickAsync("#new-record button[type=submit]");
        await page.WaitForURLAsync("**/records/quotation/*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Q-00001 Website redesign");
        await Assertions.Expect(page.Locator("#recipient")).ToContainTextAsync("Ana Lima <ana@customer.test>");
        await Assertions.Expect(page.Locator("#stagebar button.current")).ToHaveTextAsync("Draft");
        await Assertions.Expect(page.Locator(".entry.event").First).ToContainTextAsync("Quotation Q-00001 created.");
        var recordUrl = page.Url;

        await page.GotoAsync("/records/quotation");
        await Assertions.Expect(page.Locator("#records tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#records")).ToContainTextAsync("1,200.00 EUR");
        await BrowserFixture.ScreenshotAsync(page, "records-list");

        await page.ClickAsync("#board-link");
        await page.WaitForURLAsync("**/records/quotation/board");
        var card = page.Locator(".board-card").First;
        await Assertions.Expect(page.Locator("#stage-draft .board-card")).ToHaveCountAsync(1);
        await card.DragToAsync(page.Locator("#stage-sent"));
        await Assertions.Expect(page.Locator("#stage-sent .board-card")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#stage-draft .board-card")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#stage-sent [data-count]")).ToHaveTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "records-board");

        // The stage really changed on the server, and the chatter says so with who did it.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#stage-sent .board-card")).ToHaveCountAsync(1);
        await page.GotoAsync(recordUrl);
        await Assertions.Expect(page.Locator("#stagebar button.current")).ToHaveTextAsync("Sent");
        var stageEvent = page.Locator(".entry.event", new() { HasText = "Stage: Draft → Sent" });
        await Assertions.Expect(stageEvent).ToHaveCountAsync(1);
        await Assertions.Expect(stageEvent.Locator(".author")).ToHaveTextAsync("Alice Admin");

        // A tracked field edited on the record page writes its own event.
        await page.FillAsync("#field-amount", "1350");
        await page.ClickAsync("#save-record");
        await Assertions.Expect(page.Locator(".entry.event", new() { HasText = "Amount: 1,200.00 EUR → 1,350.00 EUR" })).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "records-record");

        await page.GotoAsync("/record-types/quotation");
        await Assertions.Expect(page.Locator("input[name='Form.Fields[2].Key']")).ToHaveValueAsync("amount");
        await BrowserFixture.ScreenshotAsync(page, "records-type-editor");
        await page.GotoAsync("/records");
        await BrowserFixture.ScreenshotAsync(page, "records-index");
    }
}
