using Parley.Core.Attachments;

namespace Parley.Pages.Inbound;

/// <summary>Points cid: images in already sanitized HTML at the message's own attachments (/attachments/{id}?inline=true).</summary>
public static class InlineImages
{
    public static string Link(string sanitizedHtml, IEnumerable<MessageAttachment> attachments)
    {
        var html = sanitizedHtml;
        foreach (var a in attachments)
        {
            if (a.ContentId is not { Length: > 0 } cid) continue;
            html = html.Replace($"\"cid:{cid}\"", $"\"/attachments/{a.Id}?inline=true\"", StringComparison.OrdinalIgnoreCase);
        }
        return html;
    }
}
