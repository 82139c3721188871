using Parley.Core.Common;

namespace Parley.Core.Tests.Common;

/// <summary>Quoted history in received HTML, folded by the sanitizer's DOM pass (so it is in the stored, sanitized HTML).</summary>
public sealed class QuoteFoldingTests
{
    private static string Clean(string html) => new HtmlCleaner().Clean(html, new Dictionary<string, string>(), false, CancellationToken.None).Html!;

    [Fact]
    public void Gmail_quote_is_folded_after_the_written_text()
    {
        var html = Clean("""
            <div dir="ltr">Tuesday works.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Fri, 4 Dec 2026 at 10:00 Ana &lt;ana@customer.test&gt; wrote:<br></div>
            <blockquote class="gmail_quote" style="margin:0px">Your order left today.</blockquote></div>
            """);
        Assert.StartsWith("<div dir=\"ltr\">Tuesday works.</div>", html);
        // The sanitizer drops class and id (found before it runs): the fold holds the quote, its attribution first.
        var fold = html.IndexOf("<details class=\"quoted\"><summary>Show quoted text</summary>", StringComparison.Ordinal);
        Assert.True(fold > 0, html);
        Assert.True(html.IndexOf("Ana &lt;ana@customer.test&gt; wrote:", StringComparison.Ordinal) > fold, html);
        Assert.True(html.IndexOf("Your order left today.", StringComparison.Ordinal) > fold, html);
        Assert.EndsWith("</details>", html.Trim());
        Assert.DoesNotContain("style=", html);
    }

    [Fact]
    public void Outlook_reply_header_folds_with_everything_after_it()
    {
        var html = Clean("""
            <div>Fine by me.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Ana<br><b>Sent:</b> Friday</div><div>Hello, your order…</div>
            """);
        var fold = html.IndexOf("<details class=\"quoted\">", StringComparison.Ordinal);
        Assert.True(fold > html.IndexOf("Fine by me.", StringComparison.Ordinal), html);
        Assert.True(html.IndexOf("Hello, your order", StringComparison.Ordinal) > fold, html);
        Assert.True(html.IndexOf("<b>Sent:</b> Friday", StringComparison.Ordinal) > fold, html);
    }

    [Fact]
    public void Apple_mail_cite_inside_the_body_wrapper_is_folded()
    {
        var html = Clean("""<div>See you then.<br><div><br><blockquote type="cite"><div>On 4 Dec 2026, Ana wrote:</div><div>Tuesday?</div></blockquote></div></div>""");
        var fold = html.IndexOf("<details", StringComparison.Ordinal);
        Assert.True(fold > html.IndexOf("See you then.", StringComparison.Ordinal), html);
        Assert.True(html.IndexOf("Tuesday?", StringComparison.Ordinal) > fold, html);
    }

    [Fact]
    public void A_message_that_is_all_quote_or_has_none_is_left_as_it_is()
    {
        Assert.DoesNotContain("<details", Clean("""<blockquote type="cite">Only the forwarded text.</blockquote>"""));
        Assert.DoesNotContain("<details", Clean("<p>Just a plain answer.</p><blockquote>A quotation from a poem.</blockquote>"));
    }
}
