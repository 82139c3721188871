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

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            var t = await templates.GetAsync(id, cancellationToken);
            (Name, Subject, Body, FromName, FromAddress) = (t.Name, t.Subject, t.Body, t.FromName, t.FromAddress);
        }
        else
        {
            Subject = "Hello {{ record.first_name }}";
            Body = "Dear {{ record.name }},\n\n\n\nBest regards,\n{{ user.name }}";
        }
        await LoadSamplesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var input = new TemplateInput(Name, RecordDirectory.ContactType, Subject, Body, FromName, FromAddress);
        MailTemplate? saved = null;
        if (await TryAsync(async () => saved = Id is { } id ? await templates.UpdateAsync(id, input, cancellationToken) : await templates.CreateAsync(input, cancellationToken)))
        {
            Flash($"Template \"{saved!.Name}\" saved.");
            return Redirect($"/templates/edit/{saved.Id}");
        }
        await LoadSamplesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        await LoadSamplesAsync(cancellationToken);
        var recordId = PreviewRecordId ?? SampleRecords.FirstOrDefault()?.Id;
        if (recordId is null)
        {
            ModelState.AddModelError("preview", "Add a contact first: the preview renders against a real record.");
        }
        else
        {
            await TryAsync(async () => Preview = Id is { } id && !string.IsNullOrWhiteSpace(PreviewLanguage)
                ? await templates.PreviewAsync(id, recordId.Value, Acting, cancellationToken, PreviewLanguage)
                : await templates.PreviewDraftAsync(
                    new TemplateInput(string.IsNullOrWhiteSpace(Name) ? "(unsaved)" : Name, RecordDirectory.ContactType, Subject, Body), recordId.Value, Acting, cancellationToken));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveTranslationAsync(CancellationToken cancellationToken)
    {
        if (Id is not { } id)
        {
            return NotFound();
        }
        TemplateTranslation? saved = null;
        if (await TryAsync(async () => saved = await templates.SetTranslationAsync(id, TranslationLanguage, TranslationSubject, TranslationBody, cancellationToken), "Translation"))
        {
            Flash($"The \"{saved!.Language}\" translation is saved: contacts in that language get it.");
            return Redirect($"/templates/edit/{id}");
        }
        await LoadSamplesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteTranslationAsync(string language, CancellationToken cancellationToken)
    {
        if (Id is not { } id)
        {
            return NotFound();
        }
        await templates.DeleteTranslationAsync(id, language, cancellationToken);
        Flash($"The \"{language}\" translation is removed.");
        return Redirect($"/templates/edit/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (Id is { } id)
        {
            await templates.DeleteAsync(id, cancellationToken);
        }

        Flash("Template deleted.");
        return Redirect("/templates");
    }

    private async Task LoadSamplesAsync(CancellationToken cancellationToken)
    {
        SampleRecords = (await contacts.SearchAsync(null, 0, 100, cancellationToken)).Page;
        Translations = Id is { } id ? await templates.TranslationsAsync(id, cancellationToken) : [];
    }
}
