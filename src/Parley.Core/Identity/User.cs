namespace Parley.Core.Identity;

/// <summary>A person who logs in to Parley (not a customer: customers are contacts).</summary>
public sealed class User
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public required string PasswordHash { get; set; }
    public bool IsAdmin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The zone pages show times in (an IANA id such as Europe/Paris); null until chosen or detected from the browser: UTC.</summary>
    public string? TimeZone { get; set; }
    /// <summary>Copied into each session cookie; a new one (at sign-out or a password change) ends every session issued before.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
