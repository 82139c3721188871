namespace Parley.Core.Templates;

/// <summary>A subject and body in Liquid, bound to a record type and rendered per recipient.</summary>
public sealed class MailTemplate
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string RecordType { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
