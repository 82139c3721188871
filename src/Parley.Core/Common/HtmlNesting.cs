namespace Parley.Core.Common;

/// <summary>
/// A cheap look at how deeply an HTML text nests, before any parser sees it: HTML parsers (AngleSharp included)
/// check "is this element in scope" by walking the open elements, so parsing and sanitizing 50,000 nested
/// &lt;div&gt; costs minutes. The estimate errs on the deep side: an end tag closes only an element that is open
/// and not behind a scope boundary (a table cell, as the parser treats it), and implied end tags are not inferred.
/// </summary>
public static class HtmlNesting
{
    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "basefont", "bgsound", "frame", "keygen",
    };

    // End tags do not reach past these in the parser's "has an element in scope" check.
    private static readonly HashSet<string> ScopeBoundary = new(StringComparer.OrdinalIgnoreCase)
    {
        "html", "table", "td", "th", "caption", "template", "applet", "object", "marquee", "svg", "math",
    };

    /// <summary>True when the open elements may reach more than <paramref name="maxDepth"/> at some point.</summary>
    public static bool Exceeds(string html, int maxDepth)
    {
        var open = new List<string>(64);
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            if (html.AsSpan(i).StartsWith("<!--"))
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }

                i = end + 3;
                continue;
            }
            var closing = html[i + 1] == '/';
            var start = i + (closing ? 2 : 1);
            var stop = start;
            while (stop < html.Length && (char.IsAsciiLetterOrDigit(html[stop]) || html[stop] is '-' or ':'))
            {
                stop++;
            }

            if (stop == start || !char.IsAsciiLetter(html[start])) { i = start; continue; }
            var name = html[start..stop];
            i = stop;
            if (closing)
            {
                for (var k = open.Count - 1; k >= 0; k--)
                {
                    if (string.Equals(open[k], name, StringComparison.OrdinalIgnoreCase)) { open.RemoveRange(k, open.Count - k); break; }
                    if (ScopeBoundary.Contains(open[k]))
                    {
                        break;
                    }
                }
                continue;
            }
            if (Void.Contains(name))
            {
                continue;
            }

            open.Add(name);
            if (open.Count > maxDepth)
            {
                return true;
            }
        }
        return false;
    }
}
