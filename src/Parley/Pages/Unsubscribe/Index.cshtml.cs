using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Parley.Core.Mailings;

namespace Parley.Pages.Unsubscribe;

/// <summary>
/// The unsubscribe link of a mailing. GET asks for confirmation (link scanners must not
/// unsubscribe anyone); POST — a click on the button, or a mail client's RFC 8058 one-click
/// request, which carries no antiforgery token — unsubscribes at once. A forged, altered or expired
/// link gets the same answer whoever it names, so it tells nothing about the address.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(UnsubscribeService unsubscribe) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public string? Address { get; private set; }
    public string? MailingName { get; private set; }
    public bool Done { get; private set; }
    public bool Invalid { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var target = await unsubscribe.FindAsync(Token, cancellationToken);
        if (target is null)
        {
            return NotValid();
        }
        Address = target.Address;
        MailingName = target.MailingName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Address = await unsubscribe.UnsubscribeAsync(Token, cancellationToken);
        if (Address is null)
        {
            return NotValid();
        }
        Done = true;
        return Page();
    }

    private PageResult NotValid()
    {
        Invalid = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
