using System.Text.Json;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Unknown ids in a real browser: a page answers 404 with a page that says what is missing, a form shows the error
/// next to its field, and no ProblemDetails JSON ever reaches the UI (the API keeps answering in JSON).
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class ErrorPageTests(BrowserFixture browser)
{
    private const string AliasDomain = "in.parley.test";

    [Fact]
    public async Task An_unknown_contact_or_template_is_a_404_page_and_the_api_still_answers_json()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);

        var contact = await page.GotoAsync("/contacts/999");
        Assert.Equal(404, contact!.Status);
        Assert.StartsWith("text/html", contact.Headers["content-type"]);
        await Assertions.Expect(page.Locator("#error-page h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(page.Locator("#error-page")).ToContainTextAsync("Contact 999 was not found.");
        await Assertions.Expect(page.Locator("header nav")).ToBeVisibleAsync(); // still signed in, the menu is there
        Assert.DoesNotContain("\"status\"", await page.ContentAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("error-404-contact"), FullPage = true });

        var template = await page.GotoAsync("/templates/edit/999");
        Assert.Equal(404, template!.Status);
        await Assertions.Expect(page.Locator("#error-page")).ToContainTextAsync("Template 999 was not found.");

        var nowhere = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, nowhere!.Status);
        await Assertions.Expect(page.Locator("#error-page h1")).ToHaveTextAsync("Page not found");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("error-404-page"), FullPage = true });

        using var api = await parley.Api.GetAsync("/api/v1/contacts/999");
        Assert.Equal(404, (int)api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Contact 999 was not found.", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Assigning_inbound_mail_to_a_contact_that_does_not_exist_says_so_next_to_the_field()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync(AliasDomain);
        Assert.Equal(0, (await Swaks.SendAsync(new SwaksOptions { Port = parley.SmtpPort, From = "bruno@newco.test", To = ["nobody@" + AliasDomain] })).ExitCode);
        await parley.WaitForInboundStatsAsync(s => s.GetProperty("unrouted").GetInt32() > 0, "the mail to nobody@ is listed as unrouted");

        var id = (await parley.GetAsync("/api/v1/inbound/unrouted"))[0].GetProperty("id").GetInt64();

        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/inbound");
        var row = page.Locator($"#inbound-{id}");
        await row.Locator("input[name=contactId]").FillAsync("999");
        var answer = await page.RunAndWaitForResponseAsync(() => row.Locator("form.assign button[type=submit]").ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(200, answer.Status);
        await Assertions.Expect(row.Locator(".field-error")).ToHaveTextAsync("Contact 999 was not found.");
        await Assertions.Expect(row.Locator("input[name=contactId]")).ToHaveValueAsync("999");
        Assert.DoesNotContain("\"status\"", await page.ContentAsync());
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("error-inbound-assign"), FullPage = true });
        Assert.Equal(1, (await parley.GetAsync("/api/v1/inbound/stats")).GetProperty("unrouted").GetInt32());
    }
}
