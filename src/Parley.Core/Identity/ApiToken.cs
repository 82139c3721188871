namespace Parley.Core.Identity;

/// <summary>
/// A bearer token for the REST API. Only the SHA-256 of the secret is stored, so a leaked
/// database does not leak working tokens; the prefix lets a user recognise a token in lists.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public ApiTokenScope Scope { get; set; }
    /// <summary>After this the token no longer authenticates; null means it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;
}
