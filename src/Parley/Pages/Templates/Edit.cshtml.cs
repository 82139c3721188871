using Microsoft.AspNetCore.Mvc;
using Parley.Core.Contacts;
using Parley.Core.Records;
using Parley.Core.Templates;

namespace Parley.Pages.Templates;

public sealed class EditModel(TemplateService templates, ContactService contacts) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long? Id { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string? FromName { get; set; }
    [BindProperty] public string? FromAddress { get; set; }
    [BindProperty] public long? PreviewRecordId { get; set; }
    /// <summary>Preview a saved translation in this language; blank: the text above.</summary>
    [BindProperty] public string? PreviewLanguage { get; set; }
    [BindProperty] public string? TranslationLanguage { get; set; }
    [BindProperty] public string? TranslationSubject { get; set; }
    [BindProperty] public string? TranslationBody { get; set; }
    public List<Contact> SampleRecords { get; private set; } = [];
    public List<TemplateTranslation> Translations { get; private set; } = [];
    public RenderedTemplate? Preview { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            var t = await templates.GetAsync(id, ct);
            (Name, Subject, Body, FromName, FromAddress) = (t.Name, t.Subject, t.Body, t.FromName, t.FromAddress);
        }
        else
        {
            Subject = "Hello {{ record.first_name }}";
            Body = "Dear {{ record.name }},\n\n\n\nBest regards,\n{{ user.name }}";
        }
        await LoadSamplesAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var input = new TemplateInput(Name, RecordDirectory.ContactType, Subject, Body, FromName, FromAddress);
        MailTemplate? saved = null;
        if (await TryAsync(async () => saved = Id is { } id ? await templates.UpdateAsync(id, input, ct) : await templates.CreateAsync(input, ct)))
        {
            Flash($"Template \"{saved!.Name}\" saved.");
            return Redirect($"/templates/edit/{saved.Id}");
        }
        await LoadSamplesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        await LoadSamplesAsync(ct);
        var recordId = PreviewRecordId ?? SampleRecords.FirstOrDefault()?.Id;
        if (recordId is null)
            ModelState.AddModelError("preview", "Add a contact first: the preview renders against a real record.");
        else
            await TryAsync(async () => Preview = Id is { } id && !string.IsNullOrWhiteSpace(PreviewLanguage)
                ? await templates.PreviewAsync(id, recordId.Value, Acting, ct, PreviewLanguage)
                : await templates.PreviewDraftAsync(
                    new TemplateInput(string.IsNullOrWhiteSpace(Name) ? "(unsaved)" : Name, RecordDirectory.ContactType, Subject, Body), recordId.Value, Acting, ct));
        return Page();
    }

    public async Task<IActionResult> OnPostSaveTranslationAsync(CancellationToken ct)
    {
        if (Id is not { } id)
        {
            return NotFound();
        }
        TemplateTranslation? saved = null;
        if (await TryAsync(async () => saved = await templates.SetTranslationAsync(id, TranslationLanguage, TranslationSubject, TranslationBody, ct), "Translation"))
        {
            Flash($"The \"{saved!.Language}\" translation is saved: contacts in that language get it.");
            return Redirect($"/templates/edit/{id}");
        }
        await LoadSamplesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteTranslationAsync(string language, CancellationToken ct)
    {
        if (Id is not { } id)
        {
            return NotFound();
        }
        await templates.DeleteTranslationAsync(id, language, ct);
        Flash($"The \"{language}\" translation is removed.");
        return Redirect($"/templates/edit/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (Id is { } id) await templates.DeleteAsync(id, ct);
        Flash("Template deleted.");
        return Redirect("/templates");
    }

    private async Task LoadSamplesAsync(CancellationToken ct)
    {
        SampleRecords = (await contacts.SearchAsync(null, 0, 100, ct)).Page;
        Translations = Id is { } id ? await templates.TranslationsAsync(id, ct) : [];
    }
}
