namespace Parley.Core.Identity;

/// <summary>Who is acting: the logged-in user in the UI, or the owner of the API token.</summary>
public sealed record ActingUser(long Id, string Name, string Email, bool IsAdmin);
