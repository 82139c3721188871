using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Parley.Core.Common;

/// <summary>
/// Sanitises HTML from emails, once, when the message is routed: scripts, event handlers, forms, inline styles
/// and unknown URL schemes are removed, <c>cid:</c> images are pointed at the message's parts (in the DOM, see
/// <see cref="InlineParts"/>), and remote content is held back unless the reader asks for it
/// (see <see cref="RemoteContent"/>). The stored original is never changed. Work is bounded: HTML longer than
/// <see cref="MaxLength"/> or nested deeper than <see cref="MaxDepth"/> is withheld (the reader sees the text part).
/// </summary>
public sealed class HtmlCleaner
{
    public const int MaxLength = 1_000_000;
    public const int MaxDepth = 256;

    private readonly HtmlSanitizer _sanitizer;
    private readonly HtmlParser _parser = new(new HtmlParserOptions { IsScripting = false });

    public HtmlCleaner()
    {
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Clear();
        _sanitizer.AllowedSchemes.Add("https");
        _sanitizer.AllowedSchemes.Add("http");
        _sanitizer.AllowedSchemes.Add("mailto");
        _sanitizer.AllowedSchemes.Add("cid");
        // No inline styles and no <style> (not allowed by default): CSS url() and @import cannot fetch anything.
        _sanitizer.AllowedAttributes.Remove("style");
        // No forms or form controls: a password box inside Parley's own page is a phishing tool (and a target for autofill).
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea" })
        {
            _sanitizer.AllowedTags.Remove(tag);
        }
        // Links open outside Parley and do not tell the sender where they were clicked from.
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { TagName: "A" } a)
            {
                a.SetAttribute("target", "_blank");
                a.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
    }

    /// <param name="urlByContentId">Where each inline part (by Content-ID) is served; other cid: references are dropped.</param>
    /// <param name="showRemoteContent">True for the variant shown once the reader chose to load remote images.</param>
    public CleanedHtml Clean(string html, IReadOnlyDictionary<string, string> urlByContentId, bool showRemoteContent, CancellationToken cancellationToken)
    {
        if (html.Length > MaxLength)
        {
            return CleanedHtml.Withheld($"Its HTML is larger than {MaxLength / 1_000_000} MB");
        }

        if (HtmlNesting.Exceeds(html, MaxDepth))
        {
            return CleanedHtml.Withheld($"Its HTML nests more than {MaxDepth} elements deep");
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var document = _parser.ParseDocument(html);
        cancellationToken.ThrowIfCancellationRequested();
        var fold = document.Body is { } unsanitized ? QuoteFolding.Fold(unsanitized) : null;
        _sanitizer.SanitizeDom(document);
        if (document.Body is not { } body)
        {
            return new CleanedHtml("", 0);
        }

        fold?.ClassList.Add("quoted");

        var blocked = RemoteContent.Strip(body, showRemoteContent);
        InlineParts.Link(body, urlByContentId);
        return new CleanedHtml(body.ChildNodes.ToHtml(_sanitizer.OutputFormatter), blocked);
    }
}

/// <param name="Html">The sanitized HTML; null when it was withheld (<paramref name="WithheldBecause"/> says why).</param>
/// <param name="RemoteBlocked">How many remote resources were taken out (0 when shown or when there were none).</param>
public sealed record CleanedHtml(string? Html, int RemoteBlocked, string? WithheldBecause = null)
{
    public static CleanedHtml Withheld(string because) => new(null, 0, because);
}
