namespace Parley.Core.Templates;

/// <summary>A template's subject and body in one more language; records whose language it is get this version.</summary>
public sealed class TemplateTranslation
{
    public long Id { get; set; }
    public long TemplateId { get; set; }
    /// <summary>A language tag in lower case, e.g. "fr" or "pt-br".</summary>
    public required string Language { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
