using Microsoft.AspNetCore.Mvc;
using Parley.Core.Mailings;

namespace Parley.Pages.Mailings;

/// <summary>What the progress part of a mailing's page shows (also fetched alone when the live stream says it moved).</summary>
/// <param name="MyEmail">Where a test copy goes when no address is typed: the user's own.</param>
public sealed record MailingProgressView(MailingSummary Summary, List<RecipientView> Recipients, int RecipientTotal, string? State, int Skip, string MyEmail,
    bool IsAdmin)
{
    public const int PageSize = 100;
}

/// <summary>One mailing: its state, live counts, the actions its state allows, and its recipients with each one's state.</summary>
public sealed class ViewModel(MailingService mailings, MailingReader reader) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public int Skip { get; set; }
    [BindProperty] public string? TestTo { get; set; }

    public MailingProgressView Progress { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>The progress part alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetProgressAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_Progress", Progress);
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken) =>
        await ActAsync(() => mailings.SendAsync(Id, Acting, cancellationToken), "The mailing is on its way.", cancellationToken);

    public async Task<IActionResult> OnPostResumeAsync(CancellationToken cancellationToken)
    {
        if (!Acting.IsAdmin)
        {
            return Forbid();
        }
        return await ActAsync(() => mailings.ResumeAsync(Id, Acting, cancellationToken), "The mailing goes on: the complaint stop no longer applies to it.", cancellationToken);
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken cancellationToken) =>
        await ActAsync(() => mailings.CancelAsync(Id, cancellationToken), "The mailing is cancelled: nothing more of it will be sent.", cancellationToken);

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        var to = string.IsNullOrWhiteSpace(TestTo) ? Acting.Email : TestTo;
        return await ActAsync(() => mailings.SendTestAsync(Id, to, null, Acting, cancellationToken), $"A test copy is on its way to {to}.", cancellationToken);
    }

    /// <summary>Runs one of the mailing's actions: done, it says so on the page reloaded; refused, the page shows why.</summary>
    private async Task<IActionResult> ActAsync(Func<Task> action, string done, CancellationToken cancellationToken)
    {
        if (await TryAsync(action))
        {
            Flash(done);
            return Redirect($"/mailings/{Id}");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var summary = await reader.GetAsync(Id, cancellationToken);
        var skip = Math.Max(0, Skip);
        var (recipients, total) = await reader.RecipientsAsync(Id, string.IsNullOrWhiteSpace(State) ? null : State, skip, MailingProgressView.PageSize, cancellationToken);
        Progress = new MailingProgressView(summary, recipients, total, State, skip, Acting.Email, Acting.IsAdmin);
    }
}
