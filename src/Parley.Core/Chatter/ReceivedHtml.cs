using Parley.Core.Attachments;
using Parley.Core.Common;

namespace Parley.Core.Chatter;

/// <summary>
/// The display form of a received email's HTML, made once when the message is routed (or, for messages stored before
/// Parley kept it, the first time they are shown): sanitized, with its inline images linked, in two variants —
/// remote images held back, and shown. Pages print it as is; nothing edits it as a string.
/// </summary>
public sealed class ReceivedHtml
{
    public long ChatterMessageId { get; set; }
    public ChatterMessage? Message { get; set; }
    /// <summary>Sanitized, remote content removed; null when <see cref="WithheldBecause"/> is set.</summary>
    public string? Html { get; set; }
    /// <summary>Sanitized with remote content kept; null when there was none to hold back.</summary>
    public string? HtmlWithRemote { get; set; }
    public int RemoteBlocked { get; set; }
    /// <summary>Why the HTML is not shown (too large, too deeply nested); the text part is shown instead.</summary>
    public string? WithheldBecause { get; set; }

    /// <summary>Where an inline part of a received message is served (an attachment download, shown inline).</summary>
    public static string InlineUrl(long chatterMessageId, int partIndex) => $"/attachments/inline/{chatterMessageId}/{partIndex}";

    /// <param name="message">The chatter message; it has its id whenever it has attachments (the poster saves it first).</param>
    public static ReceivedHtml Make(HtmlCleaner cleaner, ChatterMessage message, string html, IReadOnlyCollection<MessageAttachment> attachments,
        CancellationToken cancellationToken)
    {
        var urls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in attachments)
        {
            if (a.ContentId is { Length: > 0 } cid)
            {
                urls.TryAdd(cid, InlineUrl(message.Id, a.PartIndex));
            }
        }

        var blocked = cleaner.Clean(html, urls, showRemoteContent: false, cancellationToken);
        var shown = blocked.RemoteBlocked > 0 ? cleaner.Clean(html, urls, showRemoteContent: true, cancellationToken) : null;
        return new ReceivedHtml
        {
            Message = message,
            Html = blocked.Html,
            HtmlWithRemote = shown?.Html,
            RemoteBlocked = blocked.RemoteBlocked,
            WithheldBecause = blocked.WithheldBecause,
        };
    }
}
