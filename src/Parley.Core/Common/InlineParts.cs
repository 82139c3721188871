using AngleSharp.Dom;

namespace Parley.Core.Common;

/// <summary>
/// Points <c>cid:</c> references in sanitized email HTML at the message's own parts. It works on the DOM, before
/// the HTML is serialized: the sender chooses the Content-ID, so it is only ever a lookup key here and never becomes
/// markup (a string replace on serialized HTML once turned <c>Content-ID: &lt;Q."&gt;ZZ"&gt;</c> into an onerror attribute).
/// </summary>
public static class InlineParts
{
    private static readonly string[] UrlAttributes = ["src", "href", "background", "poster", "srcset"];

    /// <param name="urlByContentId">Our own URL for each Content-ID (without angle brackets), compared ignoring case.</param>
    public static void Link(IElement root, IReadOnlyDictionary<string, string> urlByContentId)
    {
        foreach (var element in root.QuerySelectorAll("*"))
        {
            foreach (var name in UrlAttributes)
            {
                if (element.GetAttribute(name) is not { } value)
                {
                    continue;
                }

                var trimmed = value.Trim();
                if (!trimmed.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                // RFC 2392: a cid URL is the Content-ID, %-encoded. A srcset of cid: parts is not worth the risk.
                if (name != "srcset" && urlByContentId.TryGetValue(Unescape(trimmed[4..]), out var url))
                {
                    element.SetAttribute(name, url);
                }
                else
                {
                    element.RemoveAttribute(name);
                }
            }
        }
    }

    private static string Unescape(string value)
    {
        try { return Uri.UnescapeDataString(value); }
        catch (UriFormatException) { return value; }
    }
}
