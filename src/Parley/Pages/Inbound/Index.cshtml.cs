using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Inbound;

namespace Parley.Pages.Inbound;

/// <summary>
/// Inbound mail: counts per outcome, what could not be placed (kept raw, assignable to a record by an admin),
/// the latest bounces, and the inbound rules in force.
/// </summary>
public sealed class IndexModel(ParleyDbContext db, InboundAdminService admin, InboundSettingsService rules) : ParleyPageModel
{
    public List<InboundMessage> Items { get; private set; } = [];
    public List<InboundMessage> Bounces { get; private set; } = [];
    public InboundStats Stats { get; private set; } = new(0, 0, 0, 0, 0, 0, 0, 0);
    public InboundSettings Rules { get; private set; } = InboundSettings.Default;
    /// <summary>The message an Assign form was sent for, so its errors and the typed id show in its own row.</summary>
    public long? AssignedId { get; private set; }
    public long? AssignedContactId { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Stats = await admin.StatsAsync(cancellationToken);
        Items = await admin.ListUnroutedAsync(200, cancellationToken);
        Bounces = await admin.ListAsync(InboundStatus.Bounce, 20, cancellationToken);
        Rules = await rules.GetAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAssignAsync(long id, long contactId, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => admin.AssignAsync(id, "contact", contactId, cancellationToken), missingField: "contactId"))
        {
            Flash($"Message {id} was posted to contact {contactId}'s chatter.");
            return RedirectToPage();
        }
        (AssignedId, AssignedContactId) = (id, contactId);
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetRawAsync(long id, CancellationToken cancellationToken)
    {
        var raw = await db.Inbound.Where(i => i.Id == id).Select(i => i.RawMime!.Content).FirstOrDefaultAsync(cancellationToken);
        return raw is null ? NotFound() : File(raw, "message/rfc822", $"inbound-{id}.eml");
    }
}
