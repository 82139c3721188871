using Microsoft.AspNetCore.Mvc;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Records;
using Parley.Core.Templates;

namespace Parley.Pages.Contacts;

/// <summary>
/// What the contact and record pages share: the chatter composer (email or note, a template, Reply in the timeline)
/// and the timeline of the one record the page shows, with its live refresh and template preview handlers.
/// </summary>
public abstract class ChatterPageModel(TimelineReader timeline, TemplateService templates, Replies replies) : ParleyPageModel
{
    [BindProperty] public string Mode { get; set; } = "email";
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public long? TemplateId { get; set; }
    /// <summary>The received message being answered (Reply in the timeline, <c>?reply=</c>); null for a new email.</summary>
    [BindProperty] public long? ReplyTo { get; set; }

    /// <summary>The message whose remote images the reader chose to load (<c>?images=</c>); none by default.</summary>
    [BindProperty(SupportsGet = true, Name = "images")] public long? ShowImagesOf { get; set; }

    public TimelineView Timeline { get; private set; } = null!;
    public List<MailTemplate> Templates { get; private set; } = [];

    /// <summary>The record whose chatter the page shows.</summary>
    protected abstract RecordRef Chatter { get; }

    /// <summary>What the composer posts: a note when "Log note" is chosen, else an email.</summary>
    protected MessageKind Kind => Mode == "note" ? MessageKind.Note : MessageKind.Email;

    public async Task<IActionResult> OnGetTimelineAsync(long? before, CancellationToken cancellationToken) =>
        Partial("/Pages/Contacts/_Timeline.cshtml", await ReadTimelineAsync(before, cancellationToken));

    public async Task<IActionResult> OnGetPreviewAsync(long templateId, CancellationToken cancellationToken)
    {
        try
        {
            var rendered = await templates.PreviewAsync(templateId, Chatter.Id, Acting, cancellationToken);
            return new JsonResult(new { subject = rendered.Subject, body = rendered.Body });
        }
        catch (InvalidInputException e)
        {
            return new JsonResult(new { error = e.Message }) { StatusCode = 400 };
        }
    }

    /// <summary>Reply in the timeline opens the composer with the draft of the answer; a wrong id says so by the composer.</summary>
    /// <returns>Where the answer goes; null when there is no draft.</returns>
    protected async Task<string?> DraftReplyAsync(long answered, CancellationToken cancellationToken)
    {
        string? to = null;
        await TryAsync(async () =>
        {
            var draft = await replies.DraftAsync(Chatter, answered, cancellationToken);
            (ReplyTo, to, Subject, Body, Mode) = (draft.ReplyTo, draft.To, draft.Subject, draft.Body, "email");
        });
        return to;
    }

    /// <summary>Where the answer to a received message goes (its Reply-To, else its sender).</summary>
    protected async Task<string?> ReplyAddressAsync(long answered, CancellationToken cancellationToken) =>
        Replies.SenderAddress(await replies.OriginalAsync(Chatter, answered, cancellationToken));

    protected void FlashPosted() => Flash(Kind == MessageKind.Note ? "Note added." : "Email queued. Its delivery state shows in the timeline.");

    /// <summary>The timeline from <paramref name="before"/> and the templates of the record's type.</summary>
    protected async Task LoadChatterAsync(long? before, CancellationToken cancellationToken)
    {
        Timeline = await ReadTimelineAsync(before, cancellationToken);
        Templates = await templates.ListAsync(Chatter.Type, cancellationToken);
    }

    private Task<TimelineView> ReadTimelineAsync(long? before, CancellationToken cancellationToken) =>
        TimelineView.ReadAsync(timeline, Chatter, before, ShowImagesOf, cancellationToken);
}
