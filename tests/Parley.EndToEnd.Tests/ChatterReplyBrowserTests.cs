using Microsoft.Playwright;
using MimeKit;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The chatter as a user answers a customer in a real browser: Reply on her email quotes and threads it (headers
/// checked at a real smtp-sink, and her next answer lands on the same record), her quoted history is folded, she
/// is shown by her name, and the composer keeps the mode the user chose.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class ChatterReplyBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Reply_on_a_received_email_quotes_it_threads_it_and_her_answer_comes_back()
    {
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var parley = await ParleyApi.ServeWithRelayAsync(sink, relayName: "Company relay");
        var contact = await parley.AddContactAsync("Zoë Martin", "zoe@customer.test");
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", subject = "Your order", body = "Hello Zoë,\n\nYour order left today." });
        var first = (await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15)))[0].Mime();

        // She answers from a client that quotes, without a display name in From.
        await SendAsZoeAsync(parley, first, "zoe-1@customer.test", "Re: Your order",
            $"Thanks! Can it come on Tuesday?\n\nOn Fri, 4 Dec 2026 at 10:00, Parley Admin <{first.From.Mailboxes.Single().Address}> wrote:\n> Hello Zoë,\n>\n> Your order left today.\n");

        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync($"/contacts/{contact}");
        var received = page.Locator(".entry.in").First;
        await Assertions.Expect(received).ToContainTextAsync("Can it come on Tuesday?");
        await Assertions.Expect(received.Locator(".author")).ToHaveTextAsync("Zoë Martin");
        await Assertions.Expect(received.Locator(".author")).ToHaveAttributeAsync("title", "zoe@customer.test");
        await Assertions.Expect(received.Locator(".sender-address")).ToContainTextAsync("zoe@customer.test");
        // Her quote of our email is folded behind a toggle.
        var quoted = received.Locator("details.quoted");
        await Assertions.Expect(quoted.Locator("summary")).ToHaveTextAsync("Show quoted text");
        await Assertions.Expect(quoted.Locator(".body")).Not.ToBeVisibleAsync();
        await quoted.Locator("summary").ClickAsync();
        await Assertions.Expect(quoted.Locator(".body")).ToContainTextAsync("Your order left today.");

        await received.Locator("a.reply").ClickAsync();
        await page.WaitForURLAsync("**reply=*");
        await Assertions.Expect(page.Locator("#replying")).ToContainTextAsync("zoe@customer.test");
        await Assertions.Expect(page.Locator("#subject")).ToHaveValueAsync("Re: Your order");
        var draft = await page.Locator("#body").InputValueAsync();
        Assert.Contains("Zoë Martin wrote:", draft, StringComparison.Ordinal);
        Assert.Contains("> Thanks! Can it come on Tuesday?", draft, StringComparison.Ordinal);
        await page.Locator("#body").EvaluateAsync("(b) => { b.value = 'Yes, Tuesday works.' + b.value; b.dispatchEvent(new Event('input')); }");
        await BrowserFixture.ScreenshotAsync(page, "chatter-reply-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "chatter-reply-390");
        await page.SetViewportSizeAsync(1280, 800);
        await page.ClickAsync("#send");
        await page.WaitForURLAsync($"**/contacts/{contact}");

        var answer = (await sink.WaitForMessagesAsync(2, TimeSpan.FromSeconds(15)))[1].Mime();
        Assert.Equal("zoe@customer.test", answer.To.Mailboxes.Single().Address);
        Assert.Equal("Re: Your order", answer.Subject);
        Assert.Equal("zoe-1@customer.test", answer.InReplyTo);
        Assert.Equal(new[] { first.MessageId!, "zoe-1@customer.test" }, answer.References.ToArray());
        Assert.Contains("> Thanks! Can it come on Tuesday?", answer.TextBody, StringComparison.Ordinal);
        Assert.Contains("<blockquote type=\"cite\">", answer.HtmlBody, StringComparison.Ordinal);

        // Her answer to our reply threads back onto this contact's chatter.
        await SendAsZoeAsync(parley, answer, "zoe-2@customer.test", "Re: Your order", "Perfect, see you on Tuesday.");
        await Assertions.Expect(page.Locator(".entry.in").First).ToContainTextAsync("Perfect, see you on Tuesday.");
        await BrowserFixture.ScreenshotAsync(page, "chatter-threaded-desktop");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "chatter-threaded-390");

        // The API answers the same way with replyTo.
        var latest = long.Parse((await page.Locator(".entry.in").First.GetAttributeAsync("data-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "email", body = "Noted.", replyTo = latest });
        var viaApi = (await sink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(15)))[2].Mime();
        Assert.Equal("zoe-2@customer.test", viaApi.InReplyTo);
        Assert.Equal("Re: Your order", viaApi.Subject);
        Assert.Equal(new[] { first.MessageId!, "zoe-1@customer.test", answer.MessageId!, "zoe-2@customer.test" }, viaApi.References.ToArray());
    }

    [Fact]
    public async Task The_composer_keeps_the_mode_chosen_across_a_send_and_a_reload()
    {
        await using var parley = await ParleyHost.ServeAsync();
        var contact = await parley.AddContactAsync("Ana Lima", "ana@customer.test");
        var page = await browser.SignedInPageAsync(parley);
        await using var _ = page.Context;
        await page.GotoAsync($"/contacts/{contact}");
        await Assertions.Expect(page.Locator("input[name=Mode][value=email]")).ToBeCheckedAsync();
        await page.CheckAsync("input[name=Mode][value=note]");
        await page.FillAsync("#body", "Called her; she prefers Tuesdays.");
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator(".entry.note").First).ToContainTextAsync("prefers Tuesdays");
        await Assertions.Expect(page.Locator("input[name=Mode][value=note]")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#send")).ToHaveTextAsync("Log note");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("input[name=Mode][value=note]")).ToBeCheckedAsync();
        await page.CheckAsync("input[name=Mode][value=email]");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("input[name=Mode][value=email]")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#send")).ToHaveTextAsync("Send");
    }

    private async Task SendAsZoeAsync(ParleyHost parley, MimeMessage answering, string messageId, string subject, string body)
    {
        var swaks = await Swaks.SendAsync(new SwaksOptions
        {
            Port = parley.SmtpPort,
            From = "zoe@customer.test",
            To = [answering.ReplyTo.Mailboxes.Single().Address],
            Headers =
            [
                $"Message-Id: <{messageId}>", $"In-Reply-To: <{answering.MessageId}>",
                $"References: {string.Join(' ', answering.References.Append(answering.MessageId).Select(r => $"<{r}>"))}", $"Subject: {subject}",
            ],
            Body = body,
        });
        output.WriteLine(swaks.Transcript);
        Assert.Equal(0, swaks.ExitCode);
    }
}
