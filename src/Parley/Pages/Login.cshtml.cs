using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Pages;

public sealed class LoginModel(UserService users, Hosting.ServeOptions serve) : ParleyPageModel
{
    public bool Demo => serve.Demo;

    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.VerifyPasswordAsync(Email, Password, ct);
        if (user is null)
        {
            Error = "That email and password do not match an account.";
            return Page();
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(UserClaims.For(user), CookieAuthenticationDefaults.AuthenticationScheme));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/contacts");
    }
}
