namespace Parley.Core.Templates;

/// <summary>A subject and body in Liquid, bound to a record type and rendered per recipient.</summary>
public sealed class MailTemplate
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string RecordType { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>The sender name mailings of this template use instead of the user's; null: the user's.</summary>
    public string? FromName { get; set; }
    /// <summary>The From address mailings of this template use instead of the user's (checked against the routes at save); null: the user's.</summary>
    public string? FromAddress { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
