using AngleSharp.Dom;

namespace Parley.Core.Common;

/// <summary>
/// Takes out of sanitized email HTML every reference that would make the reader's browser fetch
/// something by itself. A remote image is how a sender (or a tracking service) learns when, how often
/// and from which address a message was read, so like Gmail and Thunderbird Parley loads none until
/// asked. <c>cid:</c> parts of the message itself always stay.
/// </summary>
public static class RemoteContent
{
    // Attributes a browser fetches without a click. Links (a/area href) only navigate when clicked. HtmlCleaner's
    // sanitizer drops several of these already; all are listed so a looser sanitizer cannot quietly re-open tracking.
    private static readonly string[] FetchingAttributes = ["src", "srcset", "background", "poster", "lowsrc", "dynsrc", "data", "xlink:href"];

    /// <returns>How many remote references were removed.</returns>
    public static int Strip(IElement root, bool allowRemote)
    {
        var removed = 0;
        foreach (var element in root.QuerySelectorAll("*"))
        {
            foreach (var name in FetchingAttributes)
            {
                if (element.GetAttribute(name) is not { } value)
                {
                    continue;
                }

                var urls = name == "srcset" ? SrcsetUrls(value) : [value];
                if (urls.All(u => IsOwnPart(u) || (allowRemote && IsWeb(u))))
                {
                    continue;
                }

                element.RemoveAttribute(name);
                // Anything else (relative paths, which would reach Parley's own origin) is dropped silently.
                if (urls.Any(IsWeb))
                {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static bool IsOwnPart(string url) => url.TrimStart().StartsWith("cid:", StringComparison.OrdinalIgnoreCase);

    private static bool IsWeb(string url)
    {
        var u = url.TrimStart();
        return u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
               || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
               || u.StartsWith("//", StringComparison.Ordinal);
    }

    // "a.png 1x, b.png 2x": the URL is each candidate's first word.
    private static string[] SrcsetUrls(string srcset) =>
        srcset.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
              .Select(c => c.Split(' ', 2)[0]).ToArray();
}
