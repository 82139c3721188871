using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Identity;

/// <summary>Issues, checks, lists and revokes API bearer tokens. The secret is shown once and stored only as a hash.</summary>
public sealed class ApiTokenService(ParleyDbContext db, TimeProvider clock)
{
    private const string TokenPrefix = "pk_";

    public Task<(ApiToken Token, string Secret)> CreateAsync(long userId, string? name, CancellationToken cancellationToken) =>
        CreateAsync(userId, name, ApiTokenScope.Full, null, cancellationToken);

    public async Task<(ApiToken Token, string Secret)> CreateAsync(long userId, string? name, ApiTokenScope scope, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var owner = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("The user");
        var now = clock.GetUtcNow();
        if (scope == ApiTokenScope.Mailgate && !owner.IsAdmin)
        {
            throw new InvalidInputException("scope", "Only an administrator's token can hand in mail; ask an administrator to create the mailgate token.");
        }

        if (scope == ApiTokenScope.Metrics && !owner.IsAdmin)
        {
            throw new InvalidInputException("scope", "Only an administrator's token can read the metrics; ask an administrator to create the metrics token.");
        }

        if (expiresAt <= now)
        {
            throw new InvalidInputException("expiresAt", "The expiry must be in the future.");
        }

        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "API token" : name.Trim(),
            Prefix = secret[..10],
            SecretHash = Hash(secret),
            CreatedAt = now,
            Scope = scope,
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (token, secret);
    }

    /// <summary>
    /// Returns the token with its owner, or null for an unknown, revoked or expired token. Only reads: a database
    /// that takes no writes must not stop every API call (last use is recorded elsewhere, off the request).
    /// </summary>
    public async Task<ApiToken?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = Hash(secret);
        var token = await db.ApiTokens.AsNoTracking().Include(t => t.User)
            .FirstOrDefaultAsync(t => t.SecretHash == hash && t.RevokedAt == null, cancellationToken);
        return token?.User is null || token.IsExpired(clock.GetUtcNow()) ? null : token;
    }

    public Task RecordUseAsync(long tokenId, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        db.ApiTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, usedAt), cancellationToken);

    /// <summary>Tokens that are not revoked (expired ones included, so they can be seen and cleared): an admin sees everyone's.</summary>
    public Task<List<ApiToken>> ListAsync(ActingUser acting, CancellationToken cancellationToken) =>
        Visible(acting).Include(t => t.User).Where(t => t.RevokedAt == null).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);

    /// <summary>Revokes one of the acting user's tokens (an admin may revoke anyone's); others' tokens are "not found".</summary>
    public async Task RevokeAsync(ActingUser acting, long tokenId, CancellationToken cancellationToken)
    {
        var token = await Visible(acting).FirstOrDefaultAsync(t => t.Id == tokenId && t.RevokedAt == null, cancellationToken)
            ?? throw new NotFoundException("The token");
        token.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private IQueryable<ApiToken> Visible(ActingUser acting) =>
        acting.IsAdmin ? db.ApiTokens : db.ApiTokens.Where(t => t.UserId == acting.Id);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
