using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// A failed email is retried from the record's chatter itself, through the Outbox page's own retry: it goes out to a
/// real smtp-sink. The retry is a form post that needs a signed-in user and the antiforgery token.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class ChatterDeliveryActionsBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_failed_email_retried_from_the_chatter_goes_out()
    {
        await using var refusing = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { HardReject = ["RCPT"] });
        await using var working = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithAliasDomainAsync();
        var relay = await parley.AddRelayAsync(refusing.Port, "Old relay");
        var contact = await parley.AddContactAsync("Ana Lima", "ana@customer.test");
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", subject = "Your invoice", body = "Attached is nothing, just a test." });

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync($"/contacts/{contact}");
        var sent = page.Locator(".entry.out").First;
        await Assertions.Expect(sent.Locator(".state")).ToHaveTextAsync("failed");
        await Assertions.Expect(sent.Locator(".delivery-actions button.retry")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "chatter-failed-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "chatter-failed-390");
        await page.SetViewportSizeAsync(1280, 800);

        // Without the antiforgery token (signed in) and without a session, the same post is refused and nothing is queued.
        var outboxId = await sent.Locator(".delivery-actions").GetAttributeAsync("data-outbox-id");
        var forged = await page.APIRequest.PostAsync("/outbox?handler=Retry", new() { Form = page.APIRequest.CreateFormData().Set("id", outboxId!), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        var stranger = await browser.NewPageAsync(parley.BaseUrl);
        await using (stranger.Context)
        {
            var anonymous = await stranger.APIRequest.PostAsync("/outbox?handler=Retry", new() { Form = stranger.APIRequest.CreateFormData().Set("id", outboxId!), MaxRedirects = 0 });
            Assert.True(anonymous.Status is 302 or 400 or 401, $"an anonymous retry answered {anonymous.Status}");
        }
        await Assertions.Expect(sent.Locator(".state")).ToHaveTextAsync("failed");

        // The relay is replaced by one that works; Retry now sends it there, and the chatter shows it sent.
        (await parley.Api.DeleteAsync($"/api/v1/outgoing-servers/{relay}")).EnsureSuccessStatusCode();
        await parley.AddRelayAsync(working.Port, "New relay");
        await sent.Locator(".delivery-actions button.retry").ClickAsync();
        await page.WaitForURLAsync($"**/contacts/{contact}**");
        await Assertions.Expect(page.Locator(".entry.out").First.Locator(".state")).ToHaveTextAsync("sent");
        var delivered = Assert.Single(await working.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15)));
        Assert.Contains("Subject: Your invoice", delivered.Message, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".entry.out").First.Locator(".delivery-actions")).ToHaveCountAsync(0);
    }
}
