using Microsoft.Playwright;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The whole foundation as a user lives it, in a real browser: sign in, open a contact, send an
/// email from a template, and watch the customer's reply appear without reloading the page.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class BrowserConversationTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Sign_in_send_from_a_template_and_see_the_reply_arrive_live()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithRelayAsync(sink, relayName: "Company relay");
        var contact = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test", company = "Lima Bakery", tags = "vip" })).GetProperty("id").GetInt64();
        await parley.AddTemplateAsync("Welcome", "Welcome to {{ record.company }}, {{ record.first_name }}",
            "Hello {{ record.first_name }},\n\nThanks for your order.\n\n{{ user.name }}");

        var page = await browser.NewPageAsync(parley.BaseUrl);
        await using var _ = page.Context;

        await page.GotoAsync("/contacts");
        Assert.Contains("/login", page.Url);
        await BrowserFixture.ScreenshotAsync(page, "login", fullPage: false);
        await BrowserFixture.SignInAsync(page);
        await page.WaitForURLAsync("**/contacts");
        await BrowserFixture.ScreenshotAsync(page, "contacts", fullPage: false);

        await page.ClickAsync("text=Ana Lima");
        await page.WaitForURLAsync($"**/contacts/{contact}");
        await page.SelectOptionAsync("#template", new SelectOptionValue { Label = "Template: Welcome" });
        await Assertions.Expect(page.Locator("#subject")).ToHaveValueAsync("Welcome to Lima Bakery, Ana");
        await BrowserFixture.ScreenshotAsync(page, "composer", fullPage: false);
        await page.ClickAsync("#send");
        await page.WaitForURLAsync($"**/contacts/{contact}");

        // Delivery happens in the background; the timeline turns "sent" by itself.
        var sentEmail = page.Locator(".entry.out").First;
        await Assertions.Expect(sentEmail.Locator(".state")).ToHaveTextAsync("sent");
        await Assertions.Expect(sentEmail.Locator(".subject")).ToHaveTextAsync("Welcome to Lima Bakery, Ana");
        await page.EvaluateAsync("() => { window.__noReload = 'still here'; }");

        var dumped = Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        using var mime = dumped.Mime();
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "ana@customer.test",
            To = [mime.ReplyTo.Mailboxes.Single().Address],
            Headers = [$"In-Reply-To: <{mime.MessageId}>", "Subject: Re: Welcome to Lima Bakery, Ana"],
            Body = "Thank you, see you on Tuesday!",
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);

        var reply = page.Locator(".entry.in").First;
        await Assertions.Expect(reply).ToContainTextAsync("see you on Tuesday");
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__noReload"));
        await BrowserFixture.ScreenshotAsync(page, "chatter");

        // Every page of the app opens and says what it is (and leaves a screenshot to look at).
        foreach (var (path, heading) in new[]
        {
            ("/outbox", "Outbox"), ("/domains", "Sending domains"), ("/settings", "Settings"),
            ("/templates", "Templates"), ("/inbound", "Inbound mail"), ("/contacts", "Contacts"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("h1").First).ToContainTextAsync(heading);
            await BrowserFixture.ScreenshotAsync(page, path.Trim('/'));
        }
    }
}
