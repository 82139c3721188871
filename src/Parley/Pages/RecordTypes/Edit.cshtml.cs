using Microsoft.AspNetCore.Mvc;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Pages.RecordTypes;

/// <summary>Defines a new record type (<c>/record-types/new</c>) or changes one; a field taken out is hidden with its values kept.</summary>
public sealed class EditModel(RecordTypeService types) : ParleyPageModel
{
    public const string NewKey = "new";

    [BindProperty(SupportsGet = true)] public string Key { get; set; } = NewKey;
    [BindProperty] public RecordTypeForm Form { get; set; } = new();
    public RecordType? Existing { get; private set; }
    public bool IsNew => Key == NewKey;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!IsNew)
        {
            Existing = await types.GetAsync(Key, cancellationToken);
        }
        Form = (Existing is null ? RecordTypeForm.Blank() : RecordTypeForm.Of(Existing)).WithSpareRows();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (input, formKey) = Form.ToInput();
        try
        {
            var saved = IsNew ? await types.CreateAsync(input, cancellationToken) : await types.UpdateAsync(Key, input, cancellationToken);
            Flash(IsNew ? $"{saved.Name} are ready: create the first one." : $"{saved.Name} saved.");
            return Redirect(IsNew ? $"/records/{saved.Key}" : $"/record-types/{saved.Key}");
        }
        catch (InvalidInputException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                ModelState.AddModelError("Form." + formKey(field), messages[0]);
            }
        }
        if (!IsNew)
        {
            Existing = await types.GetAsync(Key, cancellationToken);
        }
        Form.WithSpareRows();
        return Page();
    }
}
