using System.Security.Claims;
using Parley.Core.Identity;

namespace Parley.Auth;

/// <summary>Moves a user into claims (at login or token check) and back out as the acting user.</summary>
public static class UserClaims
{
    public static IEnumerable<Claim> For(User user)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, user.Name);
        yield return new Claim(ClaimTypes.Email, user.Email);
        if (user.IsAdmin) yield return new Claim(ClaimTypes.Role, "admin");
    }

    public static ActingUser ToActingUser(this ClaimsPrincipal principal) => new(
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."), System.Globalization.CultureInfo.InvariantCulture),
        principal.FindFirstValue(ClaimTypes.Name) ?? "",
        principal.FindFirstValue(ClaimTypes.Email) ?? "",
        principal.IsInRole("admin"));
}
