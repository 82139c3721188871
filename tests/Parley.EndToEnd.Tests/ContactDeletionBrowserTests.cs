using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Parley.Core.Chatter;
using Parley.Core.Records;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Deleting a contact in a real browser (ADR 0026): asked what becomes of her timeline; kept, it stays readable under a
/// Deleted contact entry and a later reply to her signed address (sent by swaks) waits in Unrouted; exported, her emails
/// come as an mbox file and then go with her. Only an admin or her owner; the API's DELETE needs a token.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class ContactDeletionBrowserTests(BrowserFixture browser)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task Keeping_her_timeline_leaves_it_readable_and_a_later_reply_to_her_address_waits_unrouted()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = AliasDomain });
        var ana = await ContactWithChatterAsync(parley, "Ana Lima", "ana@example.invalid");
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync($"/contacts/{ana}");
        await page.ClickAsync("#delete-contact");
        await page.WaitForURLAsync($"**/contacts/{ana}/delete");
        await Assertions.Expect(page.Locator("input[name=Timeline][value=keep]")).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, "contact-delete");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "contact-delete-390");
        await page.SetViewportSizeAsync(1280, 900);
        await page.ClickAsync("#confirm-delete");

        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Ana Lima <ana@example.invalid> was deleted. Her timeline is kept under Deleted contacts.");
        await Assertions.Expect(page.Locator("#contacts")).ToHaveCountAsync(0);
        await page.ClickAsync("#deleted-contacts-link");
        await page.ClickAsync("#deleted-contacts a:has-text('Ana Lima')");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Deleted contact");
        await Assertions.Expect(page.Locator(".entry.note .body")).ToHaveTextAsync("She prefers mornings.");
        await Assertions.Expect(page.Locator(".entry.out .subject")).ToHaveTextAsync("Your order");
        await Assertions.Expect(page.Locator(".message-actions, .note-actions")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "contact-deleted-timeline");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "contact-deleted-timeline-390");
        Assert.Equal(HttpStatusCode.NotFound, (await parley.Api.GetAsync($"/api/v1/contacts/{ana}")).StatusCode);

        // A new contact with her address is a new person: the kept timeline is not hers, and a reply to the address
        // Parley signed for the deleted contact waits in Unrouted instead of going to anyone.
        var again = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@example.invalid" })).GetProperty("id").GetInt64();
        Assert.NotEqual(ana, again);
        Assert.Empty((await parley.GetAsync($"/api/v1/records/contact/{again}/messages")).EnumerateArray());
        var replyAddress = await parley.Services.GetRequiredService<ReplyAddressProvider>().ForAsync(new RecordRef(RecordDirectory.ContactType, ana), AliasDomain, default);
        var sent = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "ana@example.invalid",
            To = [replyAddress],
            Headers = ["From: Ana Lima <ana@example.invalid>", "Subject: Re: Your order"],
        });
        Assert.Equal(0, sent.ExitCode);
        await parley.WaitForInboundStatsAsync(s => s.GetProperty("unrouted").GetInt32() == 1, "the reply to the deleted contact is unrouted");
        var unrouted = (await parley.GetAsync("/api/v1/inbound/unrouted"))[0];
        Assert.Contains("deleted", unrouted.GetProperty("route").GetString() ?? unrouted.GetProperty("error").GetString());
        Assert.Empty((await parley.GetAsync($"/api/v1/records/contact/{again}/messages")).EnumerateArray());
    }

    [Fact]
    public async Task Exporting_first_downloads_her_emails_as_mbox_and_then_deletes_them_with_her()
    {
        await using var parley = await ParleyHost.ServeAsync();
        await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = AliasDomain });
        var bruno = await ContactWithChatterAsync(parley, "Bruno Costa", "bruno@example.invalid");
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync($"/contacts/{bruno}/delete");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-mbox"));
        Assert.Equal("bruno-costa-emails.mbox", download.SuggestedFilename);
        var mbox = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("From ", mbox);
        Assert.Contains("Subject: Your order", mbox);
        Assert.Contains("bruno@example.invalid", mbox);
        Assert.DoesNotContain("She prefers mornings.", mbox); // a note is not an email

        await page.CheckAsync("input[name=Timeline][value=delete]");
        await page.ClickAsync("#confirm-delete");
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Bruno Costa <bruno@example.invalid> and her timeline were deleted.");
        await page.GotoAsync($"/contacts/deleted/{bruno}");
        await Assertions.Expect(page.Locator("#deleted-summary")).ToContainTextAsync("Her timeline was deleted with her.");
        await Assertions.Expect(page.Locator(".entry")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Only_an_admin_or_her_owner_may_delete_and_every_way_in_needs_its_credentials()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var admins = await ContactWithChatterAsync(parley, "Carla Admin-Owned", "carla@example.invalid", withEmail: false);
        var member = await parley.ClientForNewUserAsync("Mia Member", "mia@parley.test");
        var mine = (await (await member.PostAsJsonAsync("/api/v1/contacts", new { name = "Dora Mine", email = "dora@example.invalid" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();

        // The API: no token, 401; a member on someone else's contact, 403; her own, 204; an admin, 204.
        using var anonymous = parley.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/v1/contacts/{admins}")).StatusCode);
        var refused = await member.DeleteAsync($"/api/v1/contacts/{admins}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only an administrator or the user who added this contact", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await member.DeleteAsync($"/api/v1/contacts/{mine}?timeline=delete")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await parley.Api.DeleteAsync($"/api/v1/contacts/{admins}?timeline=later")).StatusCode);

        // The page: a form post without the antiforgery token is refused and deletes nothing.
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        var forged = await page.APIRequest.PostAsync($"/contacts/{admins}/delete", new() { Form = page.APIRequest.CreateFormData().Set("Timeline", "keep") });
        Assert.Equal(400, forged.Status);
        Assert.Equal(HttpStatusCode.OK, (await parley.Api.GetAsync($"/api/v1/contacts/{admins}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await parley.Api.DeleteAsync($"/api/v1/contacts/{admins}")).StatusCode);
        var entry = await parley.GetAsync($"/api/v1/records/contact/{admins}/messages");
        Assert.Equal("She prefers mornings.", entry.EnumerateArray().Single().GetProperty("text").GetString());
    }

    /// <summary>A contact with a note and (unless not wanted) an email to her, at a reserved domain that accepts no mail.</summary>
    private static async Task<long> ContactWithChatterAsync(ParleyHost parley, string name, string email, bool withEmail = true)
    {
        var id = (await parley.PostAsync("/api/v1/contacts", new { name, email })).GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/records/contact/{id}/messages", new { kind = "note", body = "She prefers mornings." });
        if (withEmail)
        {
            await parley.PostAsync($"/api/v1/records/contact/{id}/messages", new { kind = "email", subject = "Your order", body = "Hello " + name });
        }

        return id;
    }
}
