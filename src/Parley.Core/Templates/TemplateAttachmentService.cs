using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Templates;

/// <summary>
/// A template's default attachments, bounded: each file at most <see cref="MaxFileSize"/>, all of a template's together at
/// most <see cref="MaxTotalSize"/> (every recipient's email carries them, so a mailing's store grows by that per email).
/// </summary>
public sealed class TemplateAttachmentService(ParleyDbContext db, TimeProvider clock)
{
    public const int MaxFileSize = 5 * 1024 * 1024;
    public const int MaxTotalSize = 10 * 1024 * 1024;

    /// <summary>The files without their bytes, for lists.</summary>
    public Task<List<(long Id, string FileName, string ContentType, int Size)>> ListAsync(long templateId, CancellationToken cancellationToken) =>
        db.TemplateAttachments.AsNoTracking().Where(a => a.TemplateId == templateId).OrderBy(a => a.FileName)
            .Select(a => new ValueTuple<long, string, string, int>(a.Id, a.FileName, a.ContentType, a.Content.Length)).ToListAsync(cancellationToken);

    public Task<List<TemplateAttachment>> LoadAsync(long templateId, CancellationToken cancellationToken) =>
        db.TemplateAttachments.AsNoTracking().Where(a => a.TemplateId == templateId).OrderBy(a => a.FileName).ToListAsync(cancellationToken);

    /// <summary>Adds the file, or replaces the one with the same name.</summary>
    public async Task<TemplateAttachment> SetAsync(long templateId, string? fileName, string? contentType, byte[] content, CancellationToken cancellationToken)
    {
        if (!await db.Templates.AnyAsync(t => t.Id == templateId, cancellationToken))
        {
            throw new NotFoundException($"Template {templateId}");
        }
        var name = fileName?.Trim() ?? "";
        if (name.Length is 0 or > 255 || name.IndexOfAny(['/', '\\', '\r', '\n', '\0']) >= 0 || name is "." or "..")
        {
            throw new InvalidInputException("fileName", "Give the file a plain name (no folders), of at most 255 characters.");
        }
        if (content.Length == 0 || content.Length > MaxFileSize)
        {
            throw new InvalidInputException("file", $"An attachment must have content and at most {MaxFileSize / 1024 / 1024} MB.");
        }
        var type = ContentType.TryParse(contentType ?? "", out var parsed) ? parsed.MimeType : "application/octet-stream";
        var others = await db.TemplateAttachments.Where(a => a.TemplateId == templateId && a.FileName != name).SumAsync(a => (long?)a.Content.Length, cancellationToken) ?? 0;
        if (others + content.Length > MaxTotalSize)
        {
            throw new InvalidInputException("file", $"A template's attachments may have {MaxTotalSize / 1024 / 1024} MB together: every email of its mailings carries them.");
        }
        var row = await db.TemplateAttachments.FirstOrDefaultAsync(a => a.TemplateId == templateId && a.FileName == name, cancellationToken);
        if (row is null)
        {
            row = new TemplateAttachment { TemplateId = templateId, FileName = name, ContentType = type, Content = content, CreatedAt = clock.GetUtcNow() };
            db.TemplateAttachments.Add(row);
        }
        row.ContentType = type;
        row.Content = content;
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    public async Task DeleteAsync(long templateId, string fileName, CancellationToken cancellationToken)
    {
        var removed = await db.TemplateAttachments.Where(a => a.TemplateId == templateId && a.FileName == fileName).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            throw new NotFoundException($"The attachment \"{fileName}\" of template {templateId}");
        }
    }
}
