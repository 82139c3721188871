using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Identity;

/// <summary>Issues and checks API bearer tokens. The secret is shown once and stored only as a hash.</summary>
public sealed class ApiTokenService(ParleyDbContext db, TimeProvider clock)
{
    private const string TokenPrefix = "pk_";

    public async Task<(ApiToken Token, string Secret)> CreateAsync(long userId, string? name, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct)) throw new NotFoundException("The user");
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            UserId = userId,
            Name = string.IsNullOrWhiteSpace(name) ? "API token" : name.Trim(),
            Prefix = secret[..10],
            SecretHash = Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    /// <summary>Returns the token's owner, or null for an unknown or revoked token.</summary>
    public async Task<User?> AuthenticateAsync(string secret, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(TokenPrefix, StringComparison.Ordinal)) return null;
        var hash = Hash(secret);
        var token = await db.ApiTokens.Include(t => t.User)
            .FirstOrDefaultAsync(t => t.SecretHash == hash && t.RevokedAt == null, ct);
        if (token?.User is null) return null;
        var now = clock.GetUtcNow();
        // Touch at most once a minute: token checks are on every API call.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return token.User;
    }

    public Task<List<ApiToken>> ListAsync(long userId, CancellationToken ct) =>
        db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).OrderByDescending(t => t.Id).ToListAsync(ct);

    public async Task RevokeAsync(long userId, long tokenId, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct)
            ?? throw new NotFoundException("The token");
        token.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
