using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The admin pages for aliases and followers, in a real browser: add an alias, change who may write to it,
/// follow a contact's conversation, and see the follower let mail through a followers-only alias.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class AliasAndFollowerPagesTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string AliasDomain = "replies.parley.test";

    [Fact]
    public async Task Add_change_and_delete_an_alias_and_add_and_remove_a_follower()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var contact = await parley.AddContactAsync("Ana Lima", "ana@customer.test");

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        // Without an alias domain the page says so and points to Settings.
        await page.GotoAsync("/inbound");
        await page.ClickAsync("#aliases-link");
        await page.WaitForURLAsync("**/inbound/aliases");
        await Assertions.Expect(page.Locator("#no-alias-domain")).ToContainTextAsync("No alias domain is set yet");
        await Assertions.Expect(page.Locator("#no-alias-domain a[href='/settings']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "aliases-no-domain");

        await parley.UseAliasDomainAsync(AliasDomain);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#no-alias-domain")).ToHaveCountAsync(0);

        // A name Parley uses itself is refused, with the reason next to the field.
        await page.FillAsync("input[name='Alias.LocalPart']", "postmaster");
        await page.ClickAsync("#add-alias button[type=submit]");
        await Assertions.Expect(page.Locator("#add-alias .field-error")).ToContainTextAsync("used by Parley itself");
        await BrowserFixture.ScreenshotAsync(page, "aliases-error");

        await page.FillAsync("input[name='Alias.LocalPart']", "Support");
        await page.ClickAsync("#add-alias button[type=submit]");
        var row = page.Locator("#alias-support");
        await Assertions.Expect(row.Locator(".alias-address")).ToHaveTextAsync($"support@{AliasDomain}");
        await Assertions.Expect(row.Locator(".alias-policy")).ToHaveTextAsync("Anyone");

        await row.Locator("select[name=contactPolicy]").SelectOptionAsync(new SelectOptionValue { Label = "Only followers" });
        await row.Locator("button[type=submit]", new() { HasText = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("only followers can now start a conversation");
        await Assertions.Expect(page.Locator("#alias-support .alias-policy")).ToHaveTextAsync("Only followers");
        var stored = Assert.Single((await parley.GetAsync("/api/v1/inbound/aliases")).EnumerateArray());
        Assert.Equal("followers", stored.GetProperty("contactPolicy").GetString());
        await BrowserFixture.ScreenshotAsync(page, "aliases");

        // Follow Ana's conversation as someone Parley does not know yet.
        await page.GotoAsync($"/contacts/{contact}");
        var followers = page.Locator("#followers");
        await Assertions.Expect(followers).ToContainTextAsync("Followers receive the customer's replies by email");
        await Assertions.Expect(followers).ToContainTextAsync("Nobody follows this conversation yet");
        await followers.Locator("summary").ClickAsync();
        await page.FillAsync("input[name='Follower.Email']", "Bo@Partner.test");
        await page.FillAsync("input[name='Follower.Name']", "Bo Berg");
        await followers.Locator("button[type=submit]", new() { HasText = "Add follower" }).ClickAsync();
        var bo = page.Locator("#followers .people li");
        await Assertions.Expect(bo).ToHaveCountAsync(1);
        await Assertions.Expect(bo.Locator(".person-name")).ToHaveTextAsync("Bo Berg");
        await Assertions.Expect(bo.Locator(".person-email")).ToHaveTextAsync("bo@partner.test");
        await BrowserFixture.ScreenshotAsync(page, "contact-followers");

        var follower = Assert.Single((await parley.GetAsync($"/api/v1/records/contact/{contact}/followers")).EnumerateArray());
        Assert.Equal(("Bo Berg", "bo@partner.test"), (follower.GetProperty("name").GetString(), follower.GetProperty("email").GetString()));
        var boContact = follower.GetProperty("contactId").GetInt64();

        // The follower may now write to the followers-only alias: the mail lands in Bo's own thread.
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "bo@partner.test",
            To = [$"support@{AliasDomain}"],
            Headers = ["Subject: Delivery dates for Ana"],
            Body = "Could you confirm Tuesday?",
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);
        await parley.WaitForMessageAsync($"/api/v1/records/contact/{boContact}", m => m.GetProperty("subject").GetString() == "Delivery dates for Ana");

        await bo.Locator("button", new() { HasText = "Remove" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Bo Berg no longer follows this conversation");
        await Assertions.Expect(page.Locator("#followers")).ToContainTextAsync("Nobody follows this conversation yet");
        Assert.Empty((await parley.GetAsync($"/api/v1/records/contact/{contact}/followers")).EnumerateArray());

        // Deleting asks first.
        await page.GotoAsync("/inbound/aliases");
        string? question = null;
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.Locator("#alias-support button", new() { HasText = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("#aliases .empty")).ToContainTextAsync("No alias yet");
        Assert.Contains("Delete the alias support@?", question);
        Assert.Empty((await parley.GetAsync("/api/v1/inbound/aliases")).EnumerateArray());
        await BrowserFixture.ScreenshotAsync(page, "aliases-deleted");
    }
}
