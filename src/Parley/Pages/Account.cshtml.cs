using Microsoft.AspNetCore.Mvc;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Pages;

/// <summary>Your account: change your password. Every other session of yours ends; this one stays signed in.</summary>
public sealed class AccountModel(UserService users, LoginThrottle throttle) : ParleyPageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public void OnGet()
    {
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
