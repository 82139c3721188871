using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Parley.Core.Common;

namespace Parley.Core.SpamTest;

/// <summary>A link in the message: where it goes, and the text a reader sees for it (null for a link found in plain text).</summary>
public sealed record MessageLink(string Href, string? Text)
{
    public Uri? Uri => Uri.TryCreate(Href.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
}

/// <summary>An image in the HTML: its source, alt text and declared size.</summary>
public sealed record MessageImage(string Src, string? Alt, int? Width, int? Height);

/// <summary>
/// What the content rules read in the HTML, from one DOM pass (AngleSharp, scripting off): links with their text,
/// images, active content, hidden text and the visible text. HTML nested deeper than <see cref="HtmlCleaner.MaxDepth"/>
/// is not parsed (the same bound the display applies) and says so.
/// </summary>
public sealed partial class HtmlFacts
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    public List<MessageLink> Links { get; } = [];
    public List<MessageImage> Images { get; } = [];
    public List<string> ActiveContent { get; } = [];
    public List<string> HiddenText { get; } = [];
    public string VisibleText { get; private set; } = "";
    public string? NotParsedBecause { get; private set; }

    public static HtmlFacts Read(string? html, string plainText, CancellationToken cancellationToken)
    {
        var facts = new HtmlFacts();
        if (html is not null)
        {
            if (HtmlNesting.Exceeds(html, HtmlCleaner.MaxDepth))
            {
                facts.NotParsedBecause = $"the HTML nests more than {HtmlCleaner.MaxDepth} elements deep";
            }
            else
            {
                facts.ReadDom(html, cancellationToken);
            }
        }

        // Links written out in the text part count too (shorteners, bare IPs, broken links).
        foreach (Match m in UrlInText().Matches(plainText.Length > 200_000 ? plainText[..200_000] : plainText))
        {
            if (facts.Links.Count >= 500)
            {
                break;
            }

            facts.Links.Add(new MessageLink(m.Value.TrimEnd('.', ',', ')', ']', '>', ';'), null));
        }

        return facts;
    }

    private void ReadDom(string html, CancellationToken cancellationToken)
    {
        using var document = Parser.ParseDocument(html);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var element in document.All.Take(50_000))
        {
            var tag = element.LocalName;
            switch (tag)
            {
                case "a" when element.GetAttribute("href") is { } href && Links.Count < 500:
                    Links.Add(new MessageLink(href, Collapse(element.TextContent)));
                    break;
                case "img" when Images.Count < 500:
                    Images.Add(new MessageImage(element.GetAttribute("src") ?? "", element.GetAttribute("alt"), Int(element.GetAttribute("width")), Int(element.GetAttribute("height"))));
                    break;
                case "script" or "form" or "iframe" or "object" or "embed" or "applet":
                    ActiveContent.Add("<" + tag + ">");
                    break;
            }

            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) && ActiveContent.Count < 50)
                {
                    ActiveContent.Add($"{attribute.Name}= on <{tag}>");
                }
            }

            if (element.GetAttribute("style") is { } style && IsHidden(style, element) && Collapse(element.TextContent) is { Length: >= 3 } hidden && HiddenText.Count < 20)
            {
                HiddenText.Add(hidden.Length > 60 ? hidden[..60] + "…" : hidden);
            }
        }

        // The text a reader sees: the body without style and script elements.
        foreach (var remove in document.QuerySelectorAll("style, script, head").ToList())
        {
            remove.Remove();
        }

        VisibleText = Collapse(document.Body?.TextContent ?? "");
    }

    /// <summary>Text made invisible: zero or 1px fonts, display:none or visibility:hidden, or the text colour of the background.</summary>
    private static bool IsHidden(string style, IElement element)
    {
        var s = style.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        if (TinyFont().IsMatch(s) || s.Contains("display:none", StringComparison.Ordinal) || s.Contains("visibility:hidden", StringComparison.Ordinal))
        {
            return true;
        }

        var color = Colour().Match(s);
        var background = Background().Match(s);
        if (color.Success && background.Success)
        {
            return color.Groups[1].Value == background.Groups[1].Value;
        }

        // White text without a background of its own, on the default white page.
        return color.Success && color.Groups[1].Value is "#fff" or "#ffffff" or "white" && !s.Contains("background", StringComparison.Ordinal)
            && element.ParentElement?.GetAttribute("style")?.Contains("background", StringComparison.OrdinalIgnoreCase) != true
            && element.ParentElement?.GetAttribute("bgcolor") is null;
    }

    private static string Collapse(string text) => Spaces().Replace(text, " ").Trim();

    private static int? Int(string? value) => int.TryParse(value?.Replace("px", "", StringComparison.OrdinalIgnoreCase), out var n) ? n : null;

    [GeneratedRegex(@"https?://[^\s""'<>]+", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex UrlInText();

    [GeneratedRegex(@"font-size:(0|1px|0px|0\.\d+(px|em|rem)?)(;|$|!)")]
    private static partial Regex TinyFont();

    [GeneratedRegex(@"(?:^|;)color:([#\w]+)")]
    private static partial Regex Colour();

    [GeneratedRegex(@"background(?:-color)?:([#\w]+)")]
    private static partial Regex Background();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
