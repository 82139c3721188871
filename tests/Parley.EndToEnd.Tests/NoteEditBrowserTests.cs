using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Editing and deleting one's own note in the chatter, in a real browser: an edited note says "edited" with the time,
/// a deleted one leaves no text; someone else's note and an email offer neither, and the server refuses them too.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class NoteEditBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Her_own_note_can_be_edited_and_deleted_and_nobody_elses()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = "in.parley.test" });
        var ana = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@example.invalid" })).GetProperty("id").GetInt64();
        var mine = (await parley.PostAsync($"/api/v1/records/contact/{ana}/messages", new { kind = "note", body = "Call her on Tuesdey." })).GetProperty("id").GetInt64();
        var member = await parley.ClientForNewUserAsync("Mia Member", "mia@parley.test");
        var theirs = await (await member.PostAsJsonAsync($"/api/v1/records/contact/{ana}/messages", new { kind = "note", body = "Mia's own words." }))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var theirsId = theirs.GetProperty("id").GetInt64();
        var email = (await parley.PostAsync($"/api/v1/records/contact/{ana}/messages", new { kind = "email", subject = "Hello", body = "Hi Ana" })).GetProperty("id").GetInt64();
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync($"/contacts/{ana}");
        await Assertions.Expect(page.Locator($"#m-{theirsId} .note-actions")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"#m-{email} .note-actions")).ToHaveCountAsync(0);
        await page.ClickAsync($"#m-{mine} .note-actions a.edit-note");
        await page.FillAsync("#edit-note textarea[name=Body]", "Call her on Tuesday.");
        await BrowserFixture.ScreenshotAsync(page, "note-edit");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "note-edit-390");
        await page.SetViewportSizeAsync(1280, 900);
        await page.ClickAsync("#edit-note button[type=submit]");

        await page.WaitForURLAsync($"**/contacts/{ana}#m-{mine}");
        var edited = page.Locator($"#m-{mine}");
        await Assertions.Expect(edited.Locator(".body")).ToHaveTextAsync("Call her on Tuesday.");
        await Assertions.Expect(edited.Locator(".edited")).ToContainTextAsync("edited");
        await Assertions.Expect(edited.Locator(".edited time")).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex("^20"));
        await BrowserFixture.ScreenshotAsync(page, "note-edited");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "note-edited-390");
        await page.SetViewportSizeAsync(1280, 900);

        // Someone else's note and an email: the server refuses, whatever the page offers.
        foreach (var other in new[] { theirsId, email })
        {
            var response = await page.GotoAsync($"/notes/{other}");
            Assert.Equal(403, response!.Status);
        }
        var token = await page.Locator("#edit-note input[name=__RequestVerificationToken], form.logout input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var refused = await page.APIRequest.PostAsync($"/notes/{theirsId}?handler=Delete", new() { Form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!) });
        Assert.Equal(403, refused.Status);
        var forged = await page.APIRequest.PostAsync($"/notes/{mine}?handler=Delete", new() { Form = page.APIRequest.CreateFormData() });
        Assert.Equal(400, forged.Status);

        await page.GotoAsync($"/contacts/{ana}");
        page.Dialog += (_, dialog) => dialog.AcceptAsync(); // "Delete this note?"
        await page.ClickAsync($"#m-{mine} .note-actions button.delete-note");
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Note deleted.");
        await Assertions.Expect(page.Locator($"#m-{mine}")).ToHaveCountAsync(0);
        Assert.DoesNotContain("Call her on Tuesday.", await page.ContentAsync(), StringComparison.Ordinal);
        var timeline = await parley.GetAsync($"/api/v1/records/contact/{ana}/messages");
        Assert.DoesNotContain(timeline.EnumerateArray(), m => m.GetProperty("id").GetInt64() == mine);
        Assert.Contains(timeline.EnumerateArray(), m => m.GetProperty("id").GetInt64() == theirsId);
        Assert.Equal(HttpStatusCode.OK, (await parley.Api.GetAsync($"/api/v1/contacts/{ana}")).StatusCode);
    }
}
