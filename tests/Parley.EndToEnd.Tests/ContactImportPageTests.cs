using System.Text;
using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>CSV import in a real browser: an unclosed quote is reported on its own line with its cause, and importing again adds tags instead of dropping them.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class ContactImportPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_unclosed_quote_names_its_line_and_a_second_import_keeps_the_tags()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);
        await page.GotoAsync("/contacts");
        await Assertions.Expect(page.Locator("#import-hint")).ToContainTextAsync("tags in the file are added to the contact's own");

        var csv = "name,email,tags\n" + string.Concat(Enumerable.Range(2, 6).Select(i => $"Person {i},p{i}@customer.test,vip\n"))
            + "\"Zoe Dias,zoe@customer.test,\n" + "Yan Li,yan@customer.test,\n";
        await ImportAsync(page, csv);
        await Assertions.Expect(page.Locator(".import-result")).ToContainTextAsync("6 created, 0 updated, 1 rejected");
        var line = page.Locator(".rejected li");
        await Assertions.Expect(line).ToHaveCountAsync(1);
        await Assertions.Expect(line).ToContainTextAsync("Line 8: The quote that opens \"Zoe Dias,zoe@customer.test,…\" is never closed");
        await Assertions.Expect(page.Locator(".import-result")).Not.ToContainTextAsync("Please enter");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("import-unclosed-quote"), FullPage = true });

        await ImportAsync(page, "name,email,tags\nPerson 2,p2@customer.test,newsletter\n");
        await Assertions.Expect(page.Locator(".import-result")).ToContainTextAsync("0 created, 1 updated, 0 rejected");
        var person = page.Locator("#contacts tr", new() { HasText = "p2@customer.test" });
        await Assertions.Expect(person.Locator(".tag")).ToHaveTextAsync(["vip", "newsletter"]);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("import-tags-merged"), FullPage = true });
    }

    private static async Task ImportAsync(IPage page, string csv)
    {
        await page.SetInputFilesAsync("input[name=file]", new FilePayload { Name = "contacts.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("form:has(input[name=file]) button[type=submit]");
        await page.WaitForSelectorAsync(".import-result");
    }
}
