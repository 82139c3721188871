namespace Parley.Core.Attachments;

/// <summary>
/// A file in a received email. The bytes stay in the message's RawMime; <see cref="PartIndex"/> is
/// the part's position in MimeKit's depth-first enumeration of the message, so download re-parses.
/// </summary>
public sealed class MessageAttachment
{
    public long Id { get; set; }
    public long ChatterMessageId { get; set; }
    public long RawMimeId { get; set; }
    public int PartIndex { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    /// <summary>Content-ID without angle brackets, for cid: links in the HTML body.</summary>
    public string? ContentId { get; set; }
    public bool IsInline { get; set; }
    public long Size { get; set; }
}
