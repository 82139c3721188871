namespace Parley.Core.Contacts;

/// <summary>What a user or API caller gives to create or update a contact.</summary>
public sealed record ContactInput(string? Name, string? Email, string? Company = null, string? Phone = null, string? Tags = null, string? Language = null)
{
    /// <summary>A contact for the sender of a message: the display name of its From, else the address's local part.</summary>
    public static ContactInput FromSender(string email, string? displayName)
    {
        var name = string.IsNullOrWhiteSpace(displayName) ? email[..Math.Max(0, email.IndexOf('@'))] : displayName.Trim();
        return new ContactInput(name.Length > 200 ? name[..200] : name, email);
    }
}
