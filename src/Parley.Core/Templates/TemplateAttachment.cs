namespace Parley.Core.Templates;

/// <summary>A file every email of a template's mailings carries (a price list, terms and conditions).</summary>
public sealed class TemplateAttachment
{
    public long Id { get; set; }
    public long TemplateId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
