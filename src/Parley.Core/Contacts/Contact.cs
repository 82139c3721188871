namespace Parley.Core.Contacts;

/// <summary>The built-in record type: a customer Parley talks to.</summary>
public sealed class Contact
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Canonical form (see <see cref="Common.EmailAddress.Normalize"/>); unique.</summary>
    public required string Email { get; set; }
    public string? Company { get; set; }
    public string? Phone { get; set; }
    /// <summary>Comma-separated, trimmed, lower-case.</summary>
    public string Tags { get; set; } = "";
    /// <summary>The language mailings reach this contact in (a tag such as "fr"); null: the default language.</summary>
    public string? Language { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
