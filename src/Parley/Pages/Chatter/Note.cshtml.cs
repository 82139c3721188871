using Microsoft.AspNetCore.Mvc;
using Parley.Core.Chatter;
using Parley.Core.Common;

namespace Parley.Pages.Chatter;

/// <summary>Edit or delete one of your own notes (the timeline's Edit and Delete); back to the record's timeline after.</summary>
public sealed class NoteModel(NoteEditor notes) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public string? Body { get; set; }
    public ChatterMessage Note { get; private set; } = null!;
    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        Body ??= Note.BodyText;
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken cancellationToken)
    {
        ChatterMessage? edited = null;
        try
        {
            if (await TryAsync(async () => edited = await notes.EditAsync(Id, Body, Acting, cancellationToken)))
            {
                Flash("Note saved.");
                return Redirect(RecordLinks.EntryOf(edited!.RecordType, edited.RecordId, edited.Id));
            }
        }
        catch (ForbiddenException)
        {
            // LoadAsync below says why, with the 403.
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            var record = await notes.DeleteAsync(Id, Acting, cancellationToken);
            Flash("Note deleted.");
            return Redirect(RecordLinks.PageOf(record.Type, record.Id));
        }
        catch (ForbiddenException)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Note = await notes.GetOwnAsync(Id, Acting, cancellationToken);
            return true;
        }
        catch (ForbiddenException e)
        {
            Refused = e.Message;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
    }
}
