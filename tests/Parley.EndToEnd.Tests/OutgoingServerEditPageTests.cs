using System.Text.Json;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>An outgoing server edited in place in a real browser: checked as on create, the stored password kept, and its Test still works.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class OutgoingServerEditPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_relay_is_edited_in_place_keeping_its_password_and_tests_against_its_new_port()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync("mail.parley.test");
        var created = await parley.PostAsync("/api/v1/outgoing-servers",
            new { name = "Old relay", host = "127.0.0.1", port = FreePort.Get(), security = "none", username = "relay-user", password = "s3cret", priority = 5 });
        var id = created.GetProperty("id").GetInt64();

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync("/settings");
        // The add form shares its fields with the edit page.
        await page.ClickAsync("text=Add an outgoing server");
        await page.FillAsync("input[name='Server.Name']", "Second relay");
        await page.FillAsync("input[name='Server.Host']", "relay2.parley.test");
        await page.ClickAsync("text=Add server");
        await Assertions.Expect(page.Locator("#servers tr", new() { HasText = "Second relay" })).ToContainTextAsync("relay2.parley.test:587");
        await page.Locator("#servers tr", new() { HasText = "Old relay" }).Locator("a", new() { HasText = "Edit" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/settings/servers/{id}$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Old relay");
        await Assertions.Expect(page.Locator("input[name='Server.Username']")).ToHaveValueAsync("relay-user");
        await Assertions.Expect(page.Locator("select[name='Server.Security']")).ToHaveValueAsync("none");
        await Assertions.Expect(page.Locator("input[name='Server.Password']")).ToHaveValueAsync("");

        // Bad input is refused next to its field, and what was typed stays in the form.
        await page.FillAsync("input[name='Server.Name']", "Company relay");
        await page.FillAsync("input[name='Server.Host']", "smtp example");
        await page.ClickAsync("text=Save changes");
        await Assertions.Expect(page.Locator(".field-error", new() { HasText = "Please enter the server's host name or IP address" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("input[name='Server.Name']")).ToHaveValueAsync("Company relay");
        Assert.Equal("Old relay", (await ServerAsync(parley, id)).GetProperty("name").GetString());

        await page.FillAsync("input[name='Server.Host']", "127.0.0.1");
        await page.FillAsync("input[name='Server.Port']", sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("input[name='Server.Priority']", "20");
        await BrowserFixture.ScreenshotAsync(page, "outgoing-server-edit");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "outgoing-server-edit-390");
        await page.SetViewportSizeAsync(1280, 900);
        await page.ClickAsync("text=Save changes");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings$"));
        await Assertions.Expect(page.Locator("#servers tr", new() { HasText = "Company relay" })).ToContainTextAsync($"127.0.0.1:{sink.Port}");

        var saved = await ServerAsync(parley, id);
        Assert.Equal("Company relay", saved.GetProperty("name").GetString());
        Assert.Equal(sink.Port, saved.GetProperty("port").GetInt32());
        Assert.Equal(20, saved.GetProperty("priority").GetInt32());
        Assert.Equal("relay-user", saved.GetProperty("username").GetString());
        Assert.True(saved.GetProperty("hasPassword").GetBoolean(), "an empty password field keeps the stored password");

        // The relay Test still works, against the edited server.
        await page.GotoAsync($"/settings/servers/{id}");
        await page.ClickAsync("text=Test the saved server");
        await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("\"Company relay\"");
        await Assertions.Expect(page.Locator(".transcript")).ToContainTextAsync($"Connected to smtp://127.0.0.1:{sink.Port}/");
        // The kept password is still there and still decrypts: the Test logs in with it (smtp-sink then answers AUTH with a 250, not 235).
        await Assertions.Expect(page.Locator(".transcript")).ToContainTextAsync("C: AUTH PLAIN ********");
        await BrowserFixture.ScreenshotAsync(page, "outgoing-server-edit-tested");

        // A form post without the antiforgery token changes nothing.
        var form = page.APIRequest.CreateFormData();
        form.Set("Server.Name", "Forged");
        form.Set("Server.Host", "evil.test");
        form.Set("Server.Port", "25");
        var forged = await page.APIRequest.PostAsync($"/settings/servers/{id}?handler=Save", new() { Form = form });
        Assert.Equal(400, forged.Status);
        Assert.Equal("Company relay", (await ServerAsync(parley, id)).GetProperty("name").GetString());
    }

    private static async Task<JsonElement> ServerAsync(ParleyHost parley, long id) =>
        (await parley.GetAsync("/api/v1/outgoing-servers")).EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == id);
}
