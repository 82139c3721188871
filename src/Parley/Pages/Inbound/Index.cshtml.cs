using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Inbound;

namespace Parley.Pages.Inbound;

/// <summary>
/// Inbound mail: counts per outcome, what could not be placed (kept raw, assignable to a record by an admin),
/// the latest bounces, and the inbound rules in force.
/// </summary>
public sealed class IndexModel(ParleyDbContext db, InboundAdminService admin, InboundSettingsService rules, ContactService contacts) : ParleyPageModel
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

    /// <summary>"Create a contact from the sender": the From header's name and address, found or made, then assigned.</summary>
    /// <param name="despiteFailedDmarc">The "Create the contact anyway" box, offered beside the warning on a message that failed DMARC.</param>
    public async Task<IActionResult> OnPostAssignToSenderAsync(long id, bool despiteFailedDmarc, CancellationToken cancellationToken)
    {
        (Contact Contact, bool Created)? done = null;
        if (await TryAsync(async () => done = await admin.AssignToSenderAsync(id, despiteFailedDmarc, cancellationToken), missingField: "id") && done is { } assigned)
        {
            var who = $"{assigned.Contact.Name} <{assigned.Contact.Email}>";
            Flash(assigned.Created
                ? $"{who} was added to your contacts, and message {id} was posted to the new chatter."
                : $"Message {id} was posted to the chatter of {who}, who was already a contact.");
            return RedirectToPage();
        }
        AssignedId = id;
        await OnGetAsync(cancellationToken);
        return Page();
    }

    /// <summary>The contact picker's search as you type: a few contacts whose name or email match.</summary>
    public async Task<IActionResult> OnGetContactsAsync(string? q, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return new JsonResult(Array.Empty<object>());
        }
        var (found, _) = await contacts.SearchAsync(q.Length > 100 ? q[..100] : q, 0, 8, cancellationToken);
        return new JsonResult(found.Select(c => new { c.Id, c.Name, c.Email }));
    }

    public async Task<IActionResult> OnGetRawAsync(long id, CancellationToken cancellationToken)
    {
        var raw = await db.Inbound.Where(i => i.Id == id).Select(i => i.RawMime!.Content).FirstOrDefaultAsync(cancellationToken);
        return raw is null ? NotFound() : File(raw, "message/rfc822", $"inbound-{id}.eml");
    }
}
