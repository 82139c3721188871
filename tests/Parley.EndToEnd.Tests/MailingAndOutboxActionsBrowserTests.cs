using Microsoft.Playwright;
using Parley.Testing;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The buttons of a mailing's page and of the Outbox list, and Reply on a record's page, in a real browser against a
/// real smtp-sink: a refused action says why on the page, a done one says so in the flash, and the mail really goes
/// out (or stops).
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class MailingAndOutboxActionsBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_mailing_is_tested_sent_now_and_another_cancelled_from_its_page()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ServeThroughAsync(sink);
        await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test", tags = "spring" });
        await parley.PostAsync("/api/v1/contacts", new { name = "Bruno Sousa", email = "bruno@customer.test", tags = "spring" });
        var template = (await parley.PostAsync("/api/v1/templates", new { name = "Spring offer", recordType = "contact", subject = "Spring offer for {{ record.first_name }}", body = "Hello {{ record.name }}, 20% off this week." }))
            .GetProperty("id").GetInt64();
        var draft = (await parley.PostAsync("/api/v1/mailings", new { name = "Spring offer", templateId = template, recordType = "contact", tag = "spring" })).GetProperty("id").GetInt64();
        var other = (await parley.PostAsync("/api/v1/mailings", new { name = "Summer offer", templateId = template, recordType = "contact", tag = "spring" })).GetProperty("id").GetInt64();

        var page = await browser.SignedInPageAsync(parley, timeoutMs: 30_000);
        await using var _ = page.Context;
        await page.GotoAsync($"/mailings/{draft}");

        // A test copy goes to a user only: a customer's address is refused on the page, and nothing is sent.
        await page.FillAsync("#test-to", "ana@customer.test");
        await page.ClickAsync("#send-test");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("ana@customer.test is not a Parley user's address");
        await Assertions.Expect(page.Locator(".flash")).ToHaveCountAsync(0);

        // Left empty, it goes to the signed-in user.
        await page.FillAsync("#test-to", "");
        await page.ClickAsync("#send-test");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync($"A test copy is on its way to {ParleyHost.AdminEmail}.");
        var test = Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15)));
        Assert.Contains(ParleyHost.AdminEmail, test.Message, StringComparison.OrdinalIgnoreCase);

        await page.ClickAsync("#send-now");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("The mailing is on its way.");
        await Assertions.Expect(page.Locator("#mailing-state")).ToHaveTextAsync("sent", new() { Timeout = 60_000 });
        await sink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(15));
        await BrowserFixture.ScreenshotAsync(page, "mailing-actions-sent-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "mailing-actions-sent-390");
        await page.SetViewportSizeAsync(1280, 800);

        await page.GotoAsync($"/mailings/{other}");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.ClickAsync("#cancel-mailing");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("The mailing is cancelled: nothing more of it will be sent.");
        await Assertions.Expect(page.Locator("#mailing-state")).ToHaveTextAsync("cancelled");
        Assert.Equal("cancelled", (await parley.GetAsync($"/api/v1/mailings/{other}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_deferred_email_is_cancelled_from_the_outbox()
    {
        await using var busy = await SmtpSinkPeer.StartAsync(new SmtpSinkOptions { SoftReject = ["RCPT"] });
        await using var parley = await ServeThroughAsync(busy);
        var contact = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" })).GetProperty("id").GetInt64();
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", subject = "Your invoice", body = "It will wait." });
        await Eventually.UntilAsync(async () => (await parley.GetAsync("/api/v1/outbox?state=deferred")).GetArrayLength() == 1,
            TimeSpan.FromSeconds(30), "the relay's 4xx defers the email");

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync("/outbox?state=deferred");
        await page.ClickAsync("button:has-text('Cancel')");
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Cancelled: Parley will not try this email again.");
        await BrowserFixture.ScreenshotAsync(page, "outbox-cancelled-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "outbox-cancelled-390");
        Assert.Equal(0, (await parley.GetAsync("/api/v1/outbox?state=deferred")).GetArrayLength());
        Assert.Equal(1, (await parley.GetAsync("/api/v1/outbox?state=failed")).GetArrayLength());
    }

    [Fact]
    public async Task Reply_on_a_records_page_drafts_the_answer_to_the_customer_and_its_timeline_and_preview_answer()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ServeThroughAsync(sink);
        await parley.PostAsync("/api/v1/record-types", new
        {
            key = "quotation",
            name = "Quotations",
            singularLabel = "Quotation",
            prefix = "S",
            fields = new object[] { new { key = "subject", label = "Subject", type = "text", required = true }, new { key = "customer", label = "Customer", type = "contact" } },
            customerField = "customer",
            stages = new object[] { new { key = "draft", name = "Draft" }, new { key = "won", name = "Won", done = true } },
        });
        var template = (await parley.PostAsync("/api/v1/templates", new { name = "Quotation", recordType = "quotation", subject = "Your quotation {{ record.reference }}", body = "Here it is." }))
            .GetProperty("id").GetInt64();
        var contact = (await parley.PostAsync("/api/v1/contacts", new { name = "Ana Lima", email = "ana@customer.test" })).GetProperty("id").GetInt64();
        var id = (await parley.PostAsync("/api/v1/records/quotation", new { fields = new { subject = "Website redesign", customer = contact } })).GetProperty("id").GetInt64();
        var quotation = $"/api/v1/records/quotation/{id}";
        var messageId = (await parley.PostAsync($"{quotation}/messages", new { kind = "email", subject = "Your quotation S00001", body = "Dear Ana,\n\nhere it is." }))
            .GetProperty("messageId").GetString();
        var sent = Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15)));
        using var mime = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sent.Message)));
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "ana@customer.test",
            To = [mime.ReplyTo.Mailboxes.Single().Address],
            Headers = [$"In-Reply-To: <{messageId}>", "Subject: Re: Your quotation S00001"],
            Body = "Looks good, we accept.",
        });
        Assert.Equal(0, swaks.ExitCode);
        await parley.WaitForMessageAsync(quotation, m => m.GetProperty("direction").GetString() == "in");

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync($"/records/quotation/{id}");
        await page.Locator(".entry.in a.reply").ClickAsync();
        await page.WaitForURLAsync("**reply=*");
        await Assertions.Expect(page.Locator("#replying")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#to")).ToHaveValueAsync("ana@customer.test");
        await Assertions.Expect(page.Locator("#subject")).ToHaveValueAsync("Re: Your quotation S00001");
        Assert.Contains("> Looks good, we accept.", await page.Locator("#body").InputValueAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "record-reply-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "record-reply-390");
        await page.SetViewportSizeAsync(1280, 800);

        // A reply id that is not a message of this record is refused by the composer; the page still opens.
        await page.GotoAsync($"/records/quotation/{id}?reply=999999");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Message 999999 is not an email received in this chatter");
        await Assertions.Expect(page.Locator("#replying")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#to")).ToHaveValueAsync("ana@customer.test");

        // The live refresh reads the same timeline, and the composer's template preview renders for this record.
        var timeline = await page.APIRequest.GetAsync($"/records/quotation/{id}?handler=Timeline");
        Assert.Equal(200, timeline.Status);
        Assert.Contains("Looks good, we accept.", await timeline.TextAsync(), StringComparison.Ordinal);
        var preview = await page.APIRequest.GetAsync($"/records/quotation/{id}?handler=Preview&templateId={template}");
        Assert.Equal(200, preview.Status);
        Assert.Equal("Your quotation S00001", (await preview.JsonAsync())!.Value.GetProperty("subject").GetString());
    }

    /// <summary>A Parley with an alias domain, sending through <paramref name="relay"/>.</summary>
    private static async Task<ParleyHost> ServeThroughAsync(SmtpSinkPeer relay)
    {
        var parley = await ParleyHost.ServeAsync();
        try
        {
            await parley.PutAsync("/api/v1/settings/alias-domain", new { domain = "replies.parley.test" });
            await parley.PostAsync("/api/v1/outgoing-servers", new { name = "relay", host = "127.0.0.1", port = relay.Port, security = "none" });
            return parley;
        }
        catch
        {
            await parley.DisposeAsync();
            throw;
        }
    }
}
