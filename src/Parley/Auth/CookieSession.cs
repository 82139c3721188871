using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Parley.Core.Identity;

namespace Parley.Auth;

/// <summary>
/// The web UI's session: a cookie with the user's claims and their security stamp, which must still be the user's
/// stamp on every request. Signing out or changing the password gives the user a new stamp, so a copied cookie dies too.
/// </summary>
public static class CookieSession
{
    private const string StampClaim = "parley:security-stamp";

    public static Task SignInAsync(HttpContext http, User user)
    {
        var claims = UserClaims.For(user).Append(new Claim(StampClaim, user.SecurityStamp));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }

    /// <summary>Signs the user out here and everywhere else they are signed in.</summary>
    public static async Task SignOutEverywhereAsync(HttpContext http, long userId, CancellationToken cancellationToken)
    {
        await http.RequestServices.GetRequiredService<UserService>().EndSessionsAsync(userId, cancellationToken);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>For <see cref="CookieAuthenticationEvents.OnValidatePrincipal"/>: one look-up by primary key per request.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        var (current, zone) = long.TryParse(context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), System.Globalization.CultureInfo.InvariantCulture, out var userId)
            ? await context.HttpContext.RequestServices.GetRequiredService<UserService>().SessionAsync(userId, context.HttpContext.RequestAborted)
            : (null, null);
        if (stamp is not null && stamp == current)
        {
            // Read with the stamp, so the pages' one time formatter (Pages/UserTime.cs) costs no query of its own.
            context.HttpContext.Items[Pages.UserTime.ZoneItem] = zone;
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
