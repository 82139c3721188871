using Microsoft.AspNetCore.Mvc;
using Parley.Core.Common;
using Parley.Core.Contacts;

namespace Parley.Pages.Contacts;

/// <summary>
/// "Delete contact": asks what becomes of her timeline (kept under a Deleted contact entry, or downloaded as an mbox
/// file and deleted with her) before anything is deleted. Only an admin or the user who added her (ADR 0026).
/// </summary>
public sealed class DeleteModel(ContactService contacts, ContactDeletion deletion, ContactMbox mbox) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    /// <summary>"keep" or "delete": what becomes of her timeline.</summary>
    [BindProperty] public string? Timeline { get; set; }
    public Contact Contact { get; private set; } = null!;
    public string? Refused { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Her emails as one mbox file, to keep before deleting them with her.</summary>
    public async Task<IActionResult> OnGetMboxAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        var file = new MemoryStream();
        await mbox.WriteAsync(Id, file, cancellationToken);
        file.Position = 0;
        return File(file, "application/mbox", $"{FileName(Contact.Name)}-emails.mbox");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        DeletedTimeline? choice = Timeline switch { "keep" => DeletedTimeline.Keep, "delete" => DeletedTimeline.Delete, _ => null };
        if (choice is not { } timeline)
        {
            ModelState.AddModelError("timeline", "Choose what happens to her timeline: keep it, or delete it with her.");
            return Page();
        }

        var deleted = await deletion.DeleteAsync(Id, timeline, Acting, cancellationToken);
        Flash(deleted.TimelineKept
            ? $"{deleted.Name} <{deleted.Email}> was deleted. Her timeline is kept under Deleted contacts."
            : $"{deleted.Name} <{deleted.Email}> and her timeline were deleted.");
        return Redirect("/contacts");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Contact = await contacts.GetAsync(Id, cancellationToken);
        if (ContactDeletion.MayDelete(Contact, Acting))
        {
            return true;
        }

        Refused = "Only an administrator or the user who added this contact can delete her.";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return false;
    }

    private static string FileName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
        return safe.Length == 0 ? "contact" : safe[..Math.Min(safe.Length, 60)];
    }
}
