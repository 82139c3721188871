using Ganss.Xss;

namespace Parley.Core.Common;

/// <summary>
/// Sanitises HTML from emails before it is shown: scripts, event handlers, forms, inline styles
/// and unknown URL schemes are removed. The stored original is never changed.
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
        _sanitizer.AllowedAttributes.Remove("style");
        _sanitizer.AllowedTags.Remove("form");
        // Links open outside Parley and do not tell the sender where they were clicked from.
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } a)
            {
                a.SetAttribute("target", "_blank");
                a.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
    }

    public string Clean(string html) => _sanitizer.Sanitize(html);
}
