using System.Security.Claims;
using Parley.Core.Identity;

namespace Parley.Auth;

/// <summary>Moves a user into claims (at login or token check) and back out as the acting user.</summary>
public static class UserClaims
{
    public const string AdminRole = "admin";
    private const string ScopeClaim = "parley:scope";

    public static IEnumerable<Claim> For(User user)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, user.Name);
        yield return new Claim(ClaimTypes.Email, user.Email);
        if (user.IsAdmin)
        {
            yield return new Claim(ClaimTypes.Role, AdminRole);
        }
    }

    /// <summary>A token's owner, limited to the token's scope.</summary>
    public static IEnumerable<Claim> For(ApiToken token) =>
        For(token.User ?? throw new InvalidOperationException("Load the token's user.")).Append(new Claim(ScopeClaim, token.Scope.ToString()));

    /// <summary>A web login carries no scope: it acts fully as its user.</summary>
    public static ApiTokenScope Scope(this ClaimsPrincipal principal) =>
        Enum.TryParse<ApiTokenScope>(principal.FindFirstValue(ScopeClaim), out var scope) ? scope : ApiTokenScope.Full;

    public static ActingUser ToActingUser(this ClaimsPrincipal principal) => new(
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), System.Globalization.CultureInfo.InvariantCulture),
        principal.FindFirstValue(ClaimTypes.Name) ?? "",
        principal.FindFirstValue(ClaimTypes.Email) ?? "",
        principal.IsInRole(AdminRole));
}
