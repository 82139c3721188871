namespace Parley.Core.Contacts;

/// <summary>What a user or API caller gives to create or update a contact.</summary>
public sealed record ContactInput(string? Name, string? Email, string? Company = null, string? Phone = null, string? Tags = null, string? Language = null);
