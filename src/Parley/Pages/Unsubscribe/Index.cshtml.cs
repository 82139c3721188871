using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Parley.Core.Mailings;

namespace Parley.Pages.Unsubscribe;

/// <summary>
/// The unsubscribe link of a mailing. GET asks for confirmation (link scanners must not
/// unsubscribe anyone); POST — a click on the button, or a mail client's RFC 8058 one-click
/// request, which carries no antiforgery token — unsubscribes.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(UnsubscribeService unsubscribe) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public string? Address { get; private set; }
    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Address = await unsubscribe.AddressOfAsync(Token, ct);
        return Address is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Address = await unsubscribe.UnsubscribeAsync(Token, ct);
        if (Address is null) return NotFound();
        Done = true;
        return Page();
    }
}
