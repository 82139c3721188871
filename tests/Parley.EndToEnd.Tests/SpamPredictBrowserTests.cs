using System.Globalization;
using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The composer's live spam score in Debian's Chromium: a calm draft predicts a high score; typing a shouting subject
/// lowers it, once the writer pauses, and names the check that costs the points.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class SpamPredictBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_composer_predicts_the_score_as_the_user_writes()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var contact = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" })).GetProperty("id").GetInt64();

        var page = await browser.NewPageAsync(parley.BaseUrl, timeoutMs: 20_000);
        await using var _ = page.Context;
        await page.GotoAsync("/login");
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await page.GotoAsync($"/contacts/{contact}");

        var predicted = page.Locator("#predicted-score");
        await Assertions.Expect(predicted).ToBeHiddenAsync(); // nothing written yet
        await page.Locator("#subject").FillAsync("Your order is ready");
        await page.Locator("#body").PressSequentiallyAsync("Hello Ana, your order is ready for pickup at the bakery on Monday. Kind regards, Ada");
        await Assertions.Expect(predicted).ToBeVisibleAsync();
        var calm = await ScoreAsync(page);
        Assert.True(calm >= 9, $"calm draft predicted {calm}");
        await Assertions.Expect(page.Locator("#predicted-reasons li[data-id='content.subject-caps']")).ToHaveCountAsync(0);

        await page.Locator("#subject").FillAsync("");
        await page.Locator("#subject").PressSequentiallyAsync("FREE GIFT FOR YOU TODAY!!!");
        await Assertions.Expect(page.Locator("#predicted-reasons li[data-id='content.subject-caps']")).ToHaveCountAsync(1);
        var shouting = await ScoreAsync(page);
        Assert.True(shouting < calm, $"shouting subject predicted {shouting}, calm {calm}");
        await Assertions.Expect(predicted).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("band-excellent"));
        await page.Locator(".composer").ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("spam-predict-composer") });
    }

    private static async Task<double> ScoreAsync(IPage page) =>
        double.Parse(await page.Locator("#predicted-value").InnerTextAsync(), CultureInfo.InvariantCulture);
}
