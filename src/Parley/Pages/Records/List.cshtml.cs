using Microsoft.AspNetCore.Mvc;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Pages.Records;

/// <summary>The records of one type: filtered by stage, searched, sorted, paged; and a form for a new one.</summary>
public sealed class ListModel(RecordTypeService types, RecordReader reader, RecordService records, ParleyDbContext db) : ParleyPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string Type { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Stage { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty] public Dictionary<string, string?> Fields { get; set; } = [];
    [BindProperty] public long? Assignee { get; set; }

    public RecordType RecordType { get; private set; } = null!;
    public List<RecordSnapshot> Items { get; private set; } = [];
    public int Total { get; private set; }
    public RecordFormOptions Options { get; private set; } = null!;
    public bool ShowNewForm { get; private set; }
    public string? ListError { get; private set; }

    /// <summary>The fields the table shows after the reference: the first few, long text left out.</summary>
    public IEnumerable<RecordField> Columns => RecordType.ActiveFields.Where(f => f.Type != FieldType.LongText).Take(5);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        RecordSnapshot? created = null;
        var input = new RecordInput(null, Fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => (object?)f.Value),
            Assignee is not null, Assignee);
        if (await TryAsync(async () => created = await records.CreateAsync(Type, input, Acting, cancellationToken)))
        {
            Flash($"{created!.Type.SingularLabel} {created.Record.Reference} created.");
            return Redirect($"/records/{Type}/{created.Record.Id}");
        }
        ShowNewForm = true;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public string Link(string? stage = null, string? sort = null, int? page = null) =>
        $"/records/{Type}?stage={Uri.EscapeDataString(stage ?? Stage ?? "")}&q={Uri.EscapeDataString(Q ?? "")}&sort={Uri.EscapeDataString(sort ?? Sort ?? "")}" +
        (page is { } p ? $"&p={p}" : "");

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        RecordType = await types.GetAsync(Type, cancellationToken);
        Type = RecordType.Key;
        Options = await RecordFormOptions.LoadAsync(db, cancellationToken);
        PageNumber = Math.Max(1, PageNumber);
        try
        {
            (Items, Total) = await reader.ListAsync(Type, new RecordListQuery(Stage, Q, Sort, (PageNumber - 1) * PageSize, PageSize), cancellationToken);
        }
        catch (Core.Common.InvalidInputException e)
        {
            ListError = e.Message;
        }
    }
}
