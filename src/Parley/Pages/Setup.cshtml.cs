using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Pages;

/// <summary>First run: create the admin account. Closed once any user exists.</summary>
public sealed class SetupModel(UserService users) : ParleyPageModel
{
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await users.AnyUserAsync(ct) ? Redirect("/login") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await users.AnyUserAsync(ct)) return Redirect("/login");
        User? created = null;
        if (!await TryAsync(async () => created = await users.CreateAsync(Name, Email, Password, isAdmin: true, ct))) return Page();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(UserClaims.For(created!), CookieAuthenticationDefaults.AuthenticationScheme));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        Flash($"Welcome, {created!.Name}. Next: set the alias domain and an outgoing server in Settings.");
        return Redirect("/settings");
    }
}
