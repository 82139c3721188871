using System.Text;
using Microsoft.AspNetCore.Mvc;
using Parley.Core.Contacts;

namespace Parley.Pages.Contacts;

public sealed class IndexModel(ContactService contacts, ContactImporter importer) : ParleyPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    /// <summary>name (the default), email or activity; anything else is the default.</summary>
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    public ContactSort Order => Sort?.ToLowerInvariant() switch { "email" => ContactSort.Email, "activity" => ContactSort.Activity, _ => ContactSort.Name };
    public Dictionary<long, DateTimeOffset> LastActivity { get; private set; } = [];
    [BindProperty] public ContactForm New { get; set; } = new();
    public List<Contact> Items { get; private set; } = [];
    public int Total { get; private set; }
    public ImportResult? Imported { get; private set; }
    public bool ShowNewForm { get; private set; }

    public sealed class ContactForm
    {
        public string? Name { get; set; }
        public string? Email { get; set; }
        public string? Company { get; set; }
        public string? Phone { get; set; }
        public string? Tags { get; set; }
        /// <summary>The language mailings reach the contact in (blank: the default language).</summary>
        public string? Language { get; set; }
    }

    /// <param name="new">Open the New contact form (the empty page's "Add the first contact" link; works without script).</param>
    public async Task OnGetAsync(bool @new, CancellationToken cancellationToken)
    {
        ShowNewForm = @new;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        Contact? created = null;
        if (await TryAsync(async () => created = await contacts.CreateAsync(new ContactInput(New.Name, New.Email, New.Company, New.Phone, New.Tags), Acting, cancellationToken), "New"))
        {
            Flash($"{created!.Name} <{created.Email}> was added to your contacts.");
            return Redirect($"/contacts/{created.Id}");
        }
        ShowNewForm = true;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("csv", "Choose a CSV file first.");
        }
        else
        {
            await using var stream = file.OpenReadStream();
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            await TryAsync(async () => Imported = await importer.ImportAsync(reader, cancellationToken));
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        (Items, Total) = await contacts.SearchAsync(Q, Order, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        LastActivity = await contacts.LastActivityAsync(Items.Select(c => c.Id).ToList(), cancellationToken);
    }
}
