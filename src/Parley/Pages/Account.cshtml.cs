using Microsoft.AspNetCore.Mvc;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Pages;

/// <summary>
/// Your account: the time zone pages show times in, and your password (a change ends every other session of yours;
/// this one stays signed in).
/// </summary>
public sealed class AccountModel(UserService users, LoginThrottle throttle, UserTime times) : ParleyPageModel
{
    [BindProperty] public string? TimeZone { get; set; }
    /// <summary>The zones to choose from (IANA ids this machine knows), by name.</summary>
    public IReadOnlyList<string> Zones => TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("Etc/UTC").Append(CurrentZone)
        .Distinct().Order(StringComparer.Ordinal).ToList();
    /// <summary>The stored zone (the browser may have named it by an alias, such as Asia/Calcutta), else UTC.</summary>
    public string CurrentZone => times.ZoneId ?? "Etc/UTC";

    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostTimeZoneAsync(CancellationToken cancellationToken)
    {
        string? stored = null;
        if (!await TryAsync(async () => stored = await users.SetTimeZoneAsync(Acting.Id, TimeZone, onlyIfUnset: false, cancellationToken)))
        {
            return Page();
        }

        Flash($"Times are now shown in {stored}.");
        return Redirect("/account");
    }

    /// <summary>The layout's script sends the browser's zone once, while the user has none: it never replaces a chosen one.</summary>
    public async Task<IActionResult> OnPostDetectedTimeZoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            await users.SetTimeZoneAsync(Acting.Id, TimeZone, onlyIfUnset: true, cancellationToken);
            return new NoContentResult();
        }
        catch (Core.Common.InvalidInputException)
        {
            return BadRequest();
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Someone at an unlocked screen must not be able to guess the current password without limit either.
        using var attempt = throttle.Begin(Acting.Email, HttpContext.Connection.RemoteIpAddress);
        if (attempt.MustWait is not null)
        {
            ModelState.AddModelError("currentPassword", "Too many wrong passwords. Please wait a few minutes and try again.");
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        User? changed = null;
        var ok = await TryAsync(async () => changed = await users.ChangePasswordAsync(Acting.Id, CurrentPassword, NewPassword, ConfirmPassword, cancellationToken));
        if (ModelState["currentPassword"] is not { Errors.Count: > 0 })
        {
            attempt.Succeeded();
        }

        if (!ok)
        {
            return Page();
        }

        await CookieSession.SignInAsync(HttpContext, changed!);
        Flash("Your password is changed. Any other place you were signed in has been signed out.");
        return Redirect("/account");
    }
}
