using AngleSharp;
using AngleSharp.Dom;
using Ganss.Xss;

namespace Parley.Core.Common;

/// <summary>
/// Sanitises HTML from emails before it is shown: scripts, event handlers, forms, inline styles
/// and unknown URL schemes are removed, and remote content is held back unless the reader asks
/// for it (see <see cref="RemoteContent"/>). The stored original is never changed.
/// </summary>
public sealed class HtmlCleaner
{
    private readonly HtmlSanitizer _sanitizer;

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
            _sanitizer.AllowedTags.Remove(tag);
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

    /// <param name="showRemoteContent">True once the reader chose to load this message's remote images.</param>
    public CleanedHtml Clean(string html, bool showRemoteContent = false)
    {
        using var document = _sanitizer.SanitizeDom(html);
        if (document.Body is not { } body) return new CleanedHtml("", 0);
        var blocked = RemoteContent.Strip(body, showRemoteContent);
        return new CleanedHtml(body.ChildNodes.ToHtml(_sanitizer.OutputFormatter), blocked);
    }
}

/// <param name="RemoteBlocked">How many remote resources were taken out (0 when shown or when there were none).</param>
public sealed record CleanedHtml(string Html, int RemoteBlocked);
