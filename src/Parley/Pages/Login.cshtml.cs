using Microsoft.AspNetCore.Mvc;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Pages;

public sealed class LoginModel(UserService users, LoginThrottle throttle, Hosting.ServeOptions serve) : ParleyPageModel
{
    public bool Demo => serve.Demo;

    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        using var attempt = throttle.Begin(Email, HttpContext.Connection.RemoteIpAddress);
        if (attempt.MustWait is { } wait)
        {
            // The same answer whether the email has an account or not.
            Error = $"Too many failed sign-ins. Please wait {Describe(wait)} and try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }
        var user = await users.VerifyPasswordAsync(Email, Password, cancellationToken);
        if (user is null)
        {
            Error = "That email and password do not match an account.";
            return Page();
        }
        attempt.Succeeded();
        await CookieSession.SignInAsync(HttpContext, user);
        // The dashboard, unless the login was asked for on the way to another page of this site.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    private static string Describe(TimeSpan wait) => wait.TotalSeconds <= 60
        ? $"{Math.Ceiling(wait.TotalSeconds):0} second{(wait.TotalSeconds > 1 ? "s" : "")}"
        : $"{Math.Ceiling(wait.TotalMinutes):0} minutes";
}
