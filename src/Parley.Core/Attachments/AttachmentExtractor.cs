using MimeKit;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Attachments;

/// <summary>
/// Finds the files in a received message (attachments, and inline parts with a Content-ID such as
/// images referenced by <c>cid:</c>) and reads one back by its part index.
/// </summary>
public static class AttachmentExtractor
{
    public const int MaxPerMessage = 200;

    public static List<MessageAttachment> Find(MimeMessage message, long chatterMessageId, long rawMimeId)
    {
        var found = new List<MessageAttachment>();
        var index = -1;
        foreach (var entity in message.BodyParts)
        {
            index++;
            if (found.Count >= MaxPerMessage)
            {
                break;
            }

            if (entity is not MimePart part)
            {
                continue;
            }

            var inline = !part.IsAttachment && part.ContentId is { Length: > 0 };
            if (!part.IsAttachment && !inline)
            {
                continue;
            }

            if (!part.IsAttachment && part is TextPart)
            {
                continue;
            }

            found.Add(new MessageAttachment
            {
                ChatterMessageId = chatterMessageId,
                RawMimeId = rawMimeId,
                PartIndex = index,
                FileName = SafeFileName(part.FileName, part.ContentType.MimeType, index),
                ContentType = Truncate(part.ContentType.MimeType.ToLowerInvariant(), 255),
                ContentId = part.ContentId is { } cid ? Truncate(cid.Trim('<', '>'), 998) : null,
                IsInline = inline,
                Size = EstimateSize(part),
            });
        }
        return found;
    }

    /// <summary>The decoded bytes of the part at <paramref name="partIndex"/>, or null when the raw message has no such part.</summary>
    public static async Task<byte[]?> ReadAsync(byte[] raw, int partIndex, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(raw, writable: false);
        var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        if (message.BodyParts.Skip(partIndex).FirstOrDefault() is not MimePart { Content: { } content })
        {
            return null;
        }

        using var output = new MemoryStream();
        await content.DecodeToAsync(output, cancellationToken);
        return output.ToArray();
    }

    /// <summary>A file name safe for Content-Disposition and any file system: no path, no control characters, bounded length.</summary>
    public static string SafeFileName(string? name, string mimeType, int index)
    {
        var text = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var chars = text.Where(c => !char.IsControl(c) && c is not ('/' or ':' or '*' or '?' or '"' or '<' or '>' or '|')).ToArray();
        var clean = new string(chars).Trim().Trim('.');
        if (clean.Length == 0)
        {
            var ext = mimeType.ToLowerInvariant() switch
            {
                "image/png" => ".png",
                "image/jpeg" => ".jpg",
                "image/gif" => ".gif",
                "application/pdf" => ".pdf",
                "text/plain" => ".txt",
                "message/rfc822" => ".eml",
                _ => ".bin",
            };
            clean = $"attachment-{index}{ext}";
        }
        if (clean.Length > 200)
        {
            var ext = Path.GetExtension(clean);
            clean = clean[..(200 - Math.Min(ext.Length, 20))] + (ext.Length <= 20 ? ext : "");
        }
        return clean;
    }

    private static long EstimateSize(MimePart part)
    {
        try
        {
            if (part.Content?.Stream is { CanSeek: true } s)
            {
                return part.ContentTransferEncoding == ContentEncoding.Base64 ? s.Length * 3 / 4 : s.Length;
            }
        }
        catch (NotSupportedException) { }
        return 0;
    }
}
