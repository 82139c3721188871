using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>The template editor in a real browser: a typo in a placeholder is refused on Save, next to its field, with where it is.</summary>
[Collection(BrowserFixture.Collection)]
public sealed class TemplateEditorTests(BrowserFixture browser)
{
    [Fact]
    public async Task Saving_a_template_with_unknown_names_is_refused_with_every_name_and_where_it_is()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var page = await browser.SignedInPageAsync(parley);

        await page.GotoAsync("/templates/edit");
        await page.FillAsync("input[name=Name]", "Quote");
        await page.FillAsync("input[name=Subject]", "Your quote, {{ record.frist_name }}");
        await page.FillAsync("textarea[name=Body]", "Dear {{ record.nmae }},\n\nYour quote for {{ record.compnay }} is attached.\n\n{{ user.name }}");
        await page.ClickAsync("button[type=submit].primary");

        await Assertions.Expect(page.Locator(".field-error").Nth(0)).ToContainTextAsync("\"record.frist_name\" (line 1, column 16)");
        var body = page.Locator("textarea[name=Body] ~ .field-error, label:has(textarea[name=Body]) + .field-error");
        await Assertions.Expect(body).ToContainTextAsync("\"record.nmae\" (line 1, column 9)");
        await Assertions.Expect(body).ToContainTextAsync("\"record.compnay\" (line 3, column 19)");
        await Assertions.Expect(page.Locator(".flash")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("textarea[name=Body]")).ToHaveValueAsync("Dear {{ record.nmae }},\n\nYour quote for {{ record.compnay }} is attached.\n\n{{ user.name }}");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("template-unknown-names"), FullPage = true });
        Assert.Equal(0, (await parley.GetAsync("/api/v1/templates")).GetArrayLength());

        await page.FillAsync("input[name=Subject]", "Your quote, {{ record.first_name }}");
        await page.FillAsync("textarea[name=Body]", "Dear {{ record.name }},\n\nYour quote for {{ record.company }} is attached.\n\n{{ user.name }}");
        await page.ClickAsync("button[type=submit].primary");
        await Assertions.Expect(page.Locator(".flash")).ToHaveTextAsync("Template \"Quote\" saved.");
        Assert.Equal(1, (await parley.GetAsync("/api/v1/templates")).GetArrayLength());
    }
}
