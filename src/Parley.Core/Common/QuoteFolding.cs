using AngleSharp.Dom;

namespace Parley.Core.Common;

/// <summary>
/// Folds the quoted history of a received HTML email behind "Show quoted text", in the sanitizer's DOM pass (never
/// as a string afterwards): Gmail's <c>.gmail_quote</c>, Apple Mail's and Thunderbird's <c>blockquote type=cite</c>
/// (with Thunderbird's <c>.moz-cite-prefix</c> line), and Outlook's reply header (<c>#divRplyFwdMsg</c>,
/// <c>#appendonsend</c>) with everything after it. The first such container and what follows it are folded once.
/// </summary>
public static class QuoteFolding
{
    private const string Containers = ".gmail_quote, .moz-cite-prefix, blockquote[type=cite], #divRplyFwdMsg, #appendonsend";

    /// <summary>
    /// Runs before the sanitizer, which drops the class and id attributes the containers are found by; the caller
    /// marks the returned fold (class <c>quoted</c>) once the sanitizer has run.
    /// </summary>
    /// <returns>The &lt;details&gt; element that now holds the quote, or null when nothing was folded.</returns>
    public static IElement? Fold(IElement body)
    {
        if (body.QuerySelector(Containers) is not { } quote)
        {
            return null;
        }

        // Fold from the container's top-level ancestor in the body, so the history after it (Outlook's) goes too.
        var start = quote;
        while (start.ParentElement is { } parent && parent != body)
        {
            // After written text inside the same block, the fold starts here and takes the rest of that block.
            if (!HasOnlyBlankBefore(start))
            {
                break;
            }

            start = parent;
        }
        if (!HasWrittenTextBefore(body, start))
        {
            return null; // a message that is all quote stays open
        }

        var document = body.Owner!;
        var details = document.CreateElement("details");
        var summary = document.CreateElement("summary");
        summary.TextContent = "Show quoted text";
        details.AppendChild(summary);
        var host = start.Parent!;
        host.InsertBefore(details, start);
        for (INode? node = start; node is not null;)
        {
            var next = node.NextSibling;
            details.AppendChild(node);
            node = next;
        }
        return details;
    }

    private static bool HasOnlyBlankBefore(IElement element)
    {
        for (var node = element.PreviousSibling; node is not null; node = node.PreviousSibling)
        {
            if (!string.IsNullOrWhiteSpace(node.TextContent))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasWrittenTextBefore(IElement body, IElement start)
    {
        for (INode? node = start; node is not null && node != body; node = node.Parent)
        {
            for (var before = node.PreviousSibling; before is not null; before = before.PreviousSibling)
            {
                if (!string.IsNullOrWhiteSpace(before.TextContent) || before is IElement { TagName: "IMG" })
                {
                    return true;
                }
            }
        }
        return false;
    }
}
