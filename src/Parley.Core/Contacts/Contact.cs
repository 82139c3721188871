using Parley.Core.Common;

namespace Parley.Core.Contacts;

/// <summary>The built-in record type: a customer Parley talks to.</summary>
public sealed class Contact
{
    private string _name = "";
    private string _email = "";

    public long Id { get; set; }

    /// <remarks>Setting it sets <see cref="NameSortKey"/>, whatever writes it; EF reads and writes the field.</remarks>
    public required string Name
    {
        get => _name;
        set
        {
            _name = value;
            NameSortKey = NaturalSortKey.Of(value);
        }
    }

    /// <summary>Canonical form (see <see cref="Common.EmailAddress.Normalize"/>); unique.</summary>
    public required string Email
    {
        get => _email;
        set
        {
            _email = value;
            EmailSortKey = NaturalSortKey.Of(value);
        }
    }

    /// <summary>The key the list sorts names by, numbers as numbers (<see cref="NaturalSortKey"/>).</summary>
    public string NameSortKey { get; set; } = "";
    public string EmailSortKey { get; set; } = "";
    public string? Company { get; set; }
    public string? Phone { get; set; }
    /// <summary>Comma-separated, trimmed, lower-case.</summary>
    public string Tags { get; set; } = "";
    /// <summary>The language mailings reach this contact in (a tag such as "fr"); null: the default language.</summary>
    public string? Language { get; set; }
    /// <summary>The user who added her (who may delete her, besides an admin); null when Parley made her (inbound, import by the API of an older version).</summary>
    public long? OwnerUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
