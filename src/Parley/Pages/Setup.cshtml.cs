using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Parley.Auth;
using Parley.Core.Identity;

namespace Parley.Pages;

/// <summary>
/// First run: create the admin account. From another machine (or through a proxy) it asks for the set-up code that
/// serve prints in its log, so whoever reaches a new server first cannot take it. Closed once any user exists.
/// </summary>
public sealed class SetupModel(UserService users, SetupCode setupCode, IOptions<SetupOptions> options) : ParleyPageModel
{
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string? Code { get; set; }

    /// <summary><see cref="SetupOptions.AlwaysAskCode"/> asks on this machine too.</summary>
    public bool AsksCode => options.Value.AlwaysAskCode || !RequestOrigin.IsThisMachine(HttpContext);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await users.AnyUserAsync(cancellationToken) ? Redirect("/login") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyUserAsync(cancellationToken))
        {
            return Redirect("/login");
        }

        if (AsksCode && !await setupCode.MatchesAsync(Code, cancellationToken))
        {
            ModelState.AddModelError("code", "That set-up code is not right. Copy it from the log of 'parley serve': the line that says \"set-up code\".");
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        User? created = null;
        if (!await TryAsync(async () => created = await users.CreateFirstAdminAsync(Name, Email, Password, cancellationToken)))
        {
            return Page();
        }

        if (created is null)
        {
            Flash("This installation already has an admin account. Please sign in.");
            return Redirect("/login");
        }
        await CookieSession.SignInAsync(HttpContext, created);
        Flash($"Welcome, {created.Name}. Next: set the alias domain and an outgoing server in Settings.");
        return Redirect("/settings");
    }
}
