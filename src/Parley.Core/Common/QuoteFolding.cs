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

    /// <returns>True when something was folded.</returns>
    public static bool Fold(IElement body)
    {
        if (body.QuerySelector(Containers) is not { } quote)
        {
            return false;
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
            return false; // a message that is all quote stays open
        }

        var document = body.Owner!;
        var details = document.CreateElement("details");
        details.ClassList.Add("quoted");
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
        return true;
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
