using Microsoft.AspNetCore.Mvc;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Records;
using Parley.Core.Templates;
using Parley.Pages.Contacts;

namespace Parley.Pages.Records;

/// <summary>One record, as Odoo's form view has it: the stage bar and the fields on the left, the chatter on the right.</summary>
[RequestSizeLimit(Api.MessagesApi.MaxBodyBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Api.MessagesApi.MaxBodyBytes)]
public sealed class RecordPageModel(RecordReader reader, RecordService records, ChatterService chatter, TimelineReader timeline, TemplateService templates,
    ParleyDbContext db, Replies replies) : ChatterPageModel(timeline, templates, replies)
{

    [BindProperty(SupportsGet = true)] public string Type { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public Dictionary<string, string?> Fields { get; set; } = [];
    [BindProperty] public long? Assignee { get; set; }
    [BindProperty] public int Version { get; set; }
    /// <summary>Comma-separated addresses; the customer's by default.</summary>
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? Cc { get; set; }

    public RecordSnapshot Record { get; private set; } = null!;
    public RecordFormOptions Options { get; private set; } = null!;
    /// <summary>Values typed into a form that was refused, shown again instead of the stored ones.</summary>
    public bool KeepTyped { get; private set; }

    private RecordRef Ref => new(Type, Id);

    protected override RecordRef Chatter => Ref;

    public async Task OnGetAsync(long? before, long? reply, CancellationToken cancellationToken)
    {
        if (reply is { } answered)
        {
            To = await DraftReplyAsync(answered, cancellationToken);
        }
        await LoadAsync(before, cancellationToken);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var input = new RecordInput(null, Fields.ToDictionary(f => f.Key, f => (object?)f.Value), SetsAssignee: true, Assignee, Version);
        return await SaveAsync(input, "Saved.", cancellationToken);
    }

    public async Task<IActionResult> OnPostStageAsync(string stage, CancellationToken cancellationToken) =>
        await SaveAsync(new RecordInput(stage, null, Version: Version), null, cancellationToken);

    public async Task<IActionResult> OnPostSendAsync(List<IFormFile>? files, CancellationToken cancellationToken)
    {
        var attachments = new List<OutgoingAttachment>();
        foreach (var file in (files ?? []).Where(f => f.Length > 0))
        {
            using var content = new MemoryStream();
            await file.CopyToAsync(content, cancellationToken);
            attachments.Add(new OutgoingAttachment(file.FileName, file.ContentType, content.ToArray()));
        }
        var request = new ComposeRequest(Kind, Subject, Body, TemplateId) { To = Split(To), Cc = Split(Cc), Attachments = attachments, ReplyTo = Kind == MessageKind.Email ? ReplyTo : null };
        if (await TryAsync(() => chatter.PostAsync(Ref, request, Acting, cancellationToken)))
        {
            FlashPosted();
            return Redirect($"/records/{Type}/{Id}");
        }
        await LoadAsync(null, cancellationToken);
        return Page();
    }

    private static string[]? Split(string? addresses) =>
        string.IsNullOrWhiteSpace(addresses) ? null : addresses.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<IActionResult> SaveAsync(RecordInput input, string? done, CancellationToken cancellationToken)
    {
        try
        {
            if (await TryAsync(() => records.UpdateAsync(Type, Id, input, Acting, cancellationToken)))
            {
                if (done is not null)
                {
                    Flash(done);
                }
                return Redirect($"/records/{Type}/{Id}");
            }
            KeepTyped = input.Fields is not null;
        }
        catch (ConflictException e)
        {
            ModelState.AddModelError("version", e.Message);
        }
        await LoadAsync(null, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(long? before, CancellationToken cancellationToken)
    {
        Record = await reader.GetAsync(Type, Id, cancellationToken);
        Type = Record.Type.Key;
        if (!KeepTyped)
        {
            Fields = Record.Type.ActiveFields.ToDictionary(f => f.Key, f => Record.TextOf(f));
            Assignee = Record.Record.AssigneeUserId;
        }
        Version = Record.Record.Version;
        To ??= Record.Customer?.Email;
        Options = await RecordFormOptions.LoadAsync(db, cancellationToken);
        await LoadChatterAsync(before, cancellationToken);
    }
}
