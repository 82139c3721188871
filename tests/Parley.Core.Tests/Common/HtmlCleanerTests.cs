using System.Diagnostics;
using System.Text;
using AngleSharp.Html.Parser;
using Parley.Core.Common;

namespace Parley.Core.Tests.Common;

/// <summary>
/// The sanitizer with inline-image linking, fed what a stranger can put in an email: Content-IDs, cid: URLs and
/// attribute values meant to break out of an attribute, and markup meant to make sanitizing cost minutes.
/// </summary>
public sealed class HtmlCleanerTests
{
    private readonly HtmlCleaner _cleaner = new();

    // Content-IDs are the sender's choice; MimeKit keeps a quoted local part as it is.
    private static readonly string[] HostileContentIds =
    [
        "Q.\">ZZ\"", "a\"onerror=\"alert(1)", "x' onerror='alert(1)", "<script>alert(1)</script>", "a b c", "a%22%3E%3Cimg%20onerror%3Dalert(1)%3E",
        "javascript:alert(1)", "\"", "'", ">", "<", "&quot;", "&#34;onerror=alert(1)", "a\u0000b", "a\u2028b", "é@例え.jp", "logo@bakery.test",
        "a\"/onerror=alert(1)//", "\" autofocus onfocus=\"alert(1)", "a\r\nb", "cid:nested", "../../settings", "//evil.test/x.gif",
    ];

    private static readonly string[] Tails = ["", "\">ZZ\"\">/onerror=window.pwned=1//", "\" onerror=\"window.pwned=1", "' onload='x", "><script>window.pwned=1</script>"];

    [Fact]
    public void Hostile_content_ids_and_cid_urls_never_become_markup()
    {
        var parser = new HtmlParser();
        var checkedCount = 0;
        foreach (var cid in HostileContentIds)
        {
            foreach (var tail in Tails)
            {
                foreach (var reference in new[] { cid, Uri.EscapeDataString(cid), cid.ToUpperInvariant() })
                {
                    var html = $"<p>Hi</p><img src=\"cid:{reference}{tail}\" alt=\"logo\"><a href=\"cid:{reference}\">file</a><p>end</p>";
                    var urls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [cid] = "/attachments/inline/7/2" };
                    var cleaned = _cleaner.Clean(html, urls, showRemoteContent: false, default);

                    Assert.NotNull(cleaned.Html);
                    using var document = parser.ParseDocument(cleaned.Html!);
                    foreach (var element in document.QuerySelectorAll("*"))
                    {
                        Assert.NotEqual("SCRIPT", element.TagName);
                        foreach (var attribute in element.Attributes)
                        {
                            Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} from cid {cid} + {tail}: {cleaned.Html}");
                            Assert.NotEqual("autofocus", attribute.Name);
                            if (attribute.Name is "src" or "href")
                            {
                                Assert.True(attribute.Value == "/attachments/inline/7/2" || attribute.Value.StartsWith("mailto:"), $"{attribute.Name}={attribute.Value}");
                            }
                        }
                    }
                    // Serializing what was parsed gives the same markup: nothing in it is ambiguous to a browser.
                    Assert.Equal(document.Body!.InnerHtml, parser.ParseDocument(document.Body.InnerHtml).Body!.InnerHtml);
                    checkedCount++;
                }
            }
        }

        Assert.Equal(HostileContentIds.Length * Tails.Length * 3, checkedCount);
    }

    [Fact]
    public void A_cid_image_is_linked_to_its_part_and_an_unknown_cid_is_dropped()
    {
        var urls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["logo@bakery.test"] = "/attachments/inline/3/1" };
        var cleaned = _cleaner.Clean("<img src=\"cid:Logo@Bakery.test\" alt=a><img src=\"cid:other@bakery.test\" alt=b><img src=\"cid:logo%40bakery.test\" alt=c>",
            urls, showRemoteContent: false, default);
        Assert.Equal("<img src=\"/attachments/inline/3/1\" alt=\"a\"><img alt=\"b\"><img src=\"/attachments/inline/3/1\" alt=\"c\">", cleaned.Html);
    }

    [Fact]
    public void The_attack_of_the_security_review_leaves_an_img_without_handlers()
    {
        // Content-ID: <Q.">ZZ"> and this HTML part made an onerror attribute when cid: was replaced on the serialized string.
        var urls = new Dictionary<string, string> { ["Q.\">ZZ\""] = "/attachments/inline/9/1" };
        var cleaned = _cleaner.Clean("<img src=\"cid:Q.\">ZZ\"\">/onerror=window.pwned=1//<p>after</p>", urls, showRemoteContent: false, default);
        Assert.DoesNotContain("onerror=", cleaned.Html!.Replace("/onerror=window.pwned=1//", ""), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<img>", cleaned.Html); // "cid:Q." names no part: the reference is dropped, the rest is text
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(10_000)]
    [InlineData(300)]
    public void Deep_nesting_is_withheld_at_once_instead_of_sanitized_for_minutes(int depth)
    {
        var html = new StringBuilder().Insert(0, "<div>", depth).Append("deep").ToString();
        var watch = Stopwatch.StartNew();
        var cleaned = _cleaner.Clean(html, new Dictionary<string, string>(), showRemoteContent: false, default);
        Assert.Null(cleaned.Html);
        Assert.Equal($"Its HTML nests more than {HtmlCleaner.MaxDepth} elements deep", cleaned.WithheldBecause);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{depth} levels took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("<div></x>")]       // an end tag with nothing to close
    [InlineData("<div><table></div>")] // an end tag the parser ignores: the div is out of scope behind the table
    public void End_tags_that_close_nothing_do_not_hide_the_depth(string unit)
    {
        var html = new StringBuilder().Insert(0, unit, 2_000).ToString();
        Assert.Null(_cleaner.Clean(html, new Dictionary<string, string>(), showRemoteContent: false, default).Html);
    }

    [Fact]
    public void Ordinary_newsletter_nesting_and_size_are_shown()
    {
        var nested = string.Concat(Enumerable.Repeat("<table><tr><td><div>", 20)) + "Offer" + string.Concat(Enumerable.Repeat("</div></td></tr></table>", 20));
        var html = string.Concat(Enumerable.Repeat("<p>Fresh <b>bread</b> every morning.<br>See you soon!</p>", 2_000)) + nested;
        var cleaned = _cleaner.Clean(html, new Dictionary<string, string>(), showRemoteContent: false, default);
        Assert.NotNull(cleaned.Html);
        Assert.Contains("Offer", cleaned.Html);
    }

    [Fact]
    public void Html_over_the_size_bound_is_withheld()
    {
        var html = "<p>" + new string('x', HtmlCleaner.MaxLength) + "</p>";
        var cleaned = _cleaner.Clean(html, new Dictionary<string, string>(), showRemoteContent: false, default);
        Assert.Null(cleaned.Html);
        Assert.Equal("Its HTML is larger than 1 MB", cleaned.WithheldBecause);
    }
}
