using System.Net;
using System.Text.RegularExpressions;

namespace Parley.Core.Common;

/// <summary>Conversions between the plain text users type and the HTML that email carries.</summary>
public static partial class HtmlText
{
    [GeneratedRegex(@"<\s*(p|div|br|a|b|i|u|strong|em|ul|ol|li|table|tr|td|h[1-6]|span|img|html|body|blockquote)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"<\s*(script|style|head)\b[^>]*>.*?<\s*/\s*\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InvisibleBlock();

    [GeneratedRegex(@"<\s*(br|/p|/div|/li|/tr|/h[1-6]|/blockquote)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakingTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBlankLines();

    [GeneratedRegex(@"[ \t]+\n")]
    private static partial Regex TrailingSpace();

    public static bool LooksLikeHtml(string body) => HtmlTag().IsMatch(body);

    /// <summary>A readable plain-text alternative of an HTML body (for the text/plain part and for previews).</summary>
    public static string ToPlainText(string html)
    {
        var text = InvisibleBlock().Replace(html, "");
        text = LineBreakingTag().Replace(text, "\n");
        text = AnyTag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace("\r\n", "\n").Replace('\u00A0', ' ');
        text = TrailingSpace().Replace(text, "\n");
        return ManyBlankLines().Replace(text, "\n\n").Trim();
    }

    /// <summary>HTML for a plain-text body: escaped, paragraphs kept, nothing interpreted.</summary>
    public static string FromPlainText(string text)
    {
        var paragraphs = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Concat(paragraphs.Select(p => "<p>" + WebUtility.HtmlEncode(p).Replace("\n", "<br>\n") + "</p>\n"));
    }
}
