using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Parley.Core.Data;
using Parley.Core.Suppression;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The suppressed addresses page in a real browser: add an address by hand, find it, see sending refused,
/// lift it with a confirmation, and see sending allowed again.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class SuppressionPageTests(BrowserFixture browser)
{
    private const string Zed = "zed@customer.test";

    [Fact]
    public async Task Add_search_and_lift_a_suppressed_address()
    {
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync();
        var contact = await parley.AddContactAsync("Zed Moss", Zed);
        await HardBounceAsync(parley, "gone@elsewhere.test", "5.1.1", "smtp; 550 5.1.1 <gone@elsewhere.test>: Recipient address rejected: User unknown");

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;

        await page.GotoAsync("/outbox");
        await page.ClickAsync("#suppressed-link");
        await page.WaitForURLAsync("**/outbox/suppressed");
        var bounced = Row(page, "gone@elsewhere.test");
        await Assertions.Expect(bounced.Locator(".suppressed-why")).ToHaveTextAsync("Hard bounce");
        await Assertions.Expect(bounced.Locator(".suppressed-detail")).ToContainTextAsync("550 5.1.1");

        // A typo is refused next to the field, and nothing is added.
        await page.FillAsync("input[name='Suppress.Address']", "zed at customer");
        await page.ClickAsync("#add-suppressed button[type=submit]");
        await Assertions.Expect(page.Locator("#add-suppressed .field-error")).ToContainTextAsync("Please enter one email address");
        await Assertions.Expect(page.Locator(".suppressed-row")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "suppressed-error");

        await page.FillAsync("input[name='Suppress.Address']", "Zed@Customer.test");
        await page.FillAsync("input[name='Suppress.Note']", "Asked us to stop, by phone");
        await page.ClickAsync("#add-suppressed button[type=submit]");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync($"{Zed} is on the list now");
        var zed = Row(page, Zed);
        await Assertions.Expect(zed.Locator(".suppressed-why")).ToHaveTextAsync("Added by hand");
        await Assertions.Expect(zed.Locator(".suppressed-detail")).ToHaveTextAsync("Asked us to stop, by phone");
        await Assertions.Expect(page.Locator("#suppressed-count")).ToHaveTextAsync("2");
        await BrowserFixture.ScreenshotAsync(page, "suppressed");

        await page.FillAsync("input[name=q]", "CUSTOMER");
        await page.ClickAsync("form[role=search] button");
        await Assertions.Expect(page.Locator(".suppressed-row")).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, Zed)).ToBeVisibleAsync();
        await page.FillAsync("input[name=q]", "nobody-like-this");
        await page.ClickAsync("form[role=search] button");
        await Assertions.Expect(page.Locator("#suppressed .empty")).ToContainTextAsync("No suppressed address matches");

        // The API agrees, and sending is refused; the contact page says why and links here.
        var listed = Assert.Single((await parley.GetAsync($"/api/v1/suppressions?q={Zed}")).EnumerateArray());
        Assert.Equal(("manual", "Asked us to stop, by phone"), (listed.GetProperty("reason").GetString(), listed.GetProperty("detail").GetString()));
        var (refused, answer) = await SendEmailAsync(parley, contact);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("suppression list", answer);
        await page.GotoAsync($"/contacts/{contact}");
        await Assertions.Expect(page.Locator("#contact-suppressed")).ToContainTextAsync($"Parley does not email {Zed}");
        await BrowserFixture.ScreenshotAsync(page, "suppressed-contact");
        await page.ClickAsync("#contact-suppressed a");
        await Assertions.Expect(page.Locator(".suppressed-row")).ToHaveCountAsync(1);

        // Lifting asks first, and says what it means.
        string? question = null;
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await dialog.AcceptAsync();
        };
        await Row(page, Zed).Locator("button", new() { HasText = "Lift" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync($"{Zed} was lifted: Parley will email it again");
        await Assertions.Expect(page.Locator("#suppressed .empty")).ToContainTextAsync("No suppressed address matches");
        Assert.Contains($"Lift {Zed}? Parley will email this address again. If mail to it still bounces", question);
        await BrowserFixture.ScreenshotAsync(page, "suppressed-lifted");

        var remaining = Assert.Single((await parley.GetAsync("/api/v1/suppressions")).EnumerateArray());
        Assert.Equal("gone@elsewhere.test", remaining.GetProperty("address").GetString());
        var (allowed, _) = await SendEmailAsync(parley, contact);
        Assert.Equal(HttpStatusCode.Accepted, allowed);
        await page.GotoAsync($"/contacts/{contact}");
        await Assertions.Expect(page.Locator("#composer")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#contact-suppressed")).ToHaveCountAsync(0);
    }

    private static ILocator Row(IPage page, string address) => page.Locator($".suppressed-row[data-address='{address}']");

    private static async Task<(HttpStatusCode, string)> SendEmailAsync(ParleyHost parley, long contact)
    {
        using var response = await parley.Api.PostAsync($"/api/v1/records/contact/{contact}/messages",
            new StringContent("""{"kind":"email","subject":"Hi","body":"Hello"}""", Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What the bounce processor does when a DSN reports a hard bounce (threshold 1).</summary>
    private static async Task HardBounceAsync(ParleyHost parley, string address, string status, string diagnostic)
    {
        await using var scope = parley.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SuppressionService>().RecordBounceAsync(address, true, status, diagnostic, 1, default);
        await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().SaveChangesAsync();
    }
}
