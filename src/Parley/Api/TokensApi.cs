using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Api;

/// <summary>A token as listed: never its secret, only the prefix it starts with.</summary>
public sealed record TokenDto(
    long Id, string Name, string Prefix, ApiTokenScope Scope, string Owner, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt)
{
    public static TokenDto Of(ApiToken t) => new(t.Id, t.Name, t.Prefix, t.Scope, t.User?.Email ?? "", t.CreatedAt, t.LastUsedAt, t.ExpiresAt);
}

public static class TokensApi
{
    public static void MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("API tokens");

        tokens.MapGet("", async (ApiTokenService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            (await service.ListAsync(user.ToActingUser(), cancellationToken)).Select(TokenDto.Of))
            .WithSummary("Tokens that are not revoked: your own, or everyone's for an admin (last use is recorded to the minute)");

        tokens.MapDelete("/{id:long}", async (long id, ApiTokenService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            await service.RevokeAsync(user.ToActingUser(), id, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Revoke a token (yours, or anyone's for an admin); it stops working at once");
    }
}
