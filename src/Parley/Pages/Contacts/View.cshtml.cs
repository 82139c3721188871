using Microsoft.AspNetCore.Mvc;
using Parley.Core.Chatter;
using Parley.Core.Contacts;
using Parley.Core.Followers;
using Parley.Core.Records;
using Parley.Core.SpamTest;
using Parley.Core.Suppression;
using Parley.Core.Templates;

namespace Parley.Pages.Contacts;

/// <summary>A contact's page: details, followers, the composer and the chatter timeline.</summary>
public sealed class ContactPageModel(ContactService contacts, ChatterService chatter, TimelineReader timeline, TemplateService templates, FollowerService followers,
    SuppressionService suppressions, Replies replies) : ChatterPageModel(timeline, templates, replies)
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    /// <summary>Where the answer goes when <see cref="ChatterPageModel.ReplyTo"/> is set.</summary>
    public string? ReplyAddress { get; private set; }
    [BindProperty] public Parley.Pages.Contacts.IndexModel.ContactForm Edit { get; set; } = new();
    [BindProperty] public FollowerForm Follower { get; set; } = new();

    public Contact Contact { get; private set; } = null!;
    public List<Follower> Followers { get; private set; } = [];
    public SuppressedAddress? Suppressed { get; private set; }
    public bool Editing { get; private set; }

    private RecordRef Record => new(RecordDirectory.ContactType, Id);

    protected override RecordRef Chatter => Record;

    public async Task<IActionResult> OnGetAsync(long? before, long? reply, [FromServices] ContactDeletion deletion, CancellationToken cancellationToken)
    {
        try
        {
            if (reply is { } answered)
            {
                ReplyAddress = await DraftReplyAsync(answered, cancellationToken);
            }
            await LoadAsync(before, cancellationToken);
        }
        catch (Core.Common.NotFoundException)
        {
            // Links to her messages (Outbox, Inbound, notifications) outlive a deleted contact: they open what was kept.
            if (await deletion.FindAsync(Id, cancellationToken) is not null)
            {
                return Redirect($"/contacts/deleted/{Id}");
            }
            throw;
        }
        return Page();
    }

    /// <summary>The composer's live score: the pre-send checks of the draft as written so far, and the checks that cost the most.</summary>
    public IActionResult OnPostPredict([FromServices] SpamChecker checker, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            return new JsonResult(new { score = (double?)null });
        }
        var report = checker.PredictDraft(Subject, null, Body, new MimeKit.MailboxAddress(Acting.Name, Acting.Email), cancellationToken);
        var reasons = report.Sections.SelectMany(s => s.Checks).Where(c => c.Lost > 0).OrderByDescending(c => c.Lost).Take(3)
            .Select(c => new { id = c.Id, title = c.Title, lost = c.Lost, fix = c.Fix?.Text });
        return new JsonResult(new { score = report.Score, max = SpamReport.Max, band = report.Band, reasons });
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => chatter.PostAsync(Record, new ComposeRequest(Kind, Subject, Body, TemplateId) { ReplyTo = Kind == MessageKind.Email ? ReplyTo : null }, Acting, cancellationToken)))
        {
            FlashPosted();
            return Redirect($"/contacts/{Id}");
        }
        if (ReplyTo is { } answered && ModelState["replyTo"] is null)
        {
            ReplyAddress = await ReplyAddressAsync(answered, cancellationToken);
        }
        await LoadAsync(null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken cancellationToken)
    {
        if (await TryAsync(() => contacts.UpdateAsync(Id, new ContactInput(Edit.Name, Edit.Email, Edit.Company, Edit.Phone, Edit.Tags, Edit.Language), cancellationToken), "Edit"))
        {
            Flash("Contact saved.");
            return Redirect($"/contacts/{Id}");
        }
        Editing = true;
        await LoadAsync(null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddFollowerAsync(CancellationToken cancellationToken)
    {
        Follower? added = null;
        if (await TryAsync(async () => added = await followers.AddByEmailAsync(Record, Follower.Email, Follower.Name, cancellationToken), nameof(Follower)))
        {
            Flash($"{added!.Name} <{added.Email}> now follows this conversation.");
            return Redirect($"/contacts/{Id}#followers");
        }
        await LoadAsync(null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveFollowerAsync(long followerId, string? name, CancellationToken cancellationToken)
    {
        try
        {
            await followers.RemoveAsync(Record, followerId, cancellationToken);
            Flash($"{name} no longer follows this conversation.");
        }
        catch (Core.Common.NotFoundException)
        {
            Flash("That follower had already been removed.");
        }
        return Redirect($"/contacts/{Id}#followers");
    }

    private async Task LoadAsync(long? before, CancellationToken cancellationToken)
    {
        Contact = await contacts.GetAsync(Id, cancellationToken);
        if (!Editing)
        {
            Edit = new() { Name = Contact.Name, Email = Contact.Email, Company = Contact.Company, Phone = Contact.Phone, Tags = Contact.Tags, Language = Contact.Language };
        }

        await LoadChatterAsync(before, cancellationToken);
        Followers = await followers.ListAsync(Record, cancellationToken);
        Suppressed = await suppressions.FindAsync(Contact.Email, cancellationToken);
    }
}

/// <summary>The form fields of "Add a follower".</summary>
public sealed class FollowerForm
{
    public string? Email { get; set; }
    public string? Name { get; set; }
}

/// <param name="Before">The paging cursor the page was opened with, kept by links that reload it.</param>
/// <param name="ShowImagesOf">The one message whose remote images are loaded.</param>
public sealed record TimelineView(RecordRef Record, List<TimelineEntry> Entries, int PageSize, long? Before = null, long? ShowImagesOf = null)
{
    /// <summary>Entries a timeline shows at once; older ones are a "before" link away.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>One page of the record's timeline, from <paramref name="before"/> (every page that shows a timeline reads it so).</summary>
    public static async Task<TimelineView> ReadAsync(TimelineReader reader, RecordRef record, long? before, long? showImagesOf, CancellationToken cancellationToken) =>
        new(record, await reader.ReadAsync(record, before, DefaultPageSize, cancellationToken), DefaultPageSize, before, showImagesOf);

    /// <summary>A deleted contact's kept timeline: shown, without Reply, Retry, Edit or Delete.</summary>
    public bool ReadOnly { get; init; }
}
