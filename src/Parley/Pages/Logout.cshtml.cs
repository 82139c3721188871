using Microsoft.AspNetCore.Mvc;
using Parley.Auth;

namespace Parley.Pages;

/// <summary>Signs out everywhere: every session of the user ends, including cookies copied elsewhere.</summary>
public sealed class LogoutModel : ParleyPageModel
{
    public IActionResult OnGet() => Redirect("/contacts");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await CookieSession.SignOutEverywhereAsync(HttpContext, Acting.Id, cancellationToken);
        return Redirect("/login");
    }
}
