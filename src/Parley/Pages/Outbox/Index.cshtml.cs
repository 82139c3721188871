using Microsoft.AspNetCore.Mvc;
using Parley.Core.Chatter;
using Parley.Core.Outbox;

namespace Parley.Pages.Outbox;

/// <summary>The delivery queue: how much is waiting, what failed and why, and retry or cancel by hand.</summary>
public sealed class IndexModel(OutboxService outbox) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    /// <summary>Where a retry or cancel asked from elsewhere (a record's chatter) goes back to; a local path only.</summary>
    [BindProperty] public string? ReturnTo { get; set; }
    /// <summary>True when <c>?state=</c> named no state: the page says so, in its own words, and lists every row.</summary>
    public bool UnknownState { get; private set; }
    public Dictionary<DeliveryState, int> Counts { get; private set; } = [];
    public List<OutboxItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await outbox.CountsAsync(cancellationToken);
        // The API's spelling (names, any letter case, never a number); anything else is not echoed back.
        DeliveryState? filter = null;
        if (State is not null)
        {
            if (Api.ApiEnums.TryParse<DeliveryState>(State, out var s))
            {
                filter = s;
            }
            else
            {
                (UnknownState, State) = (true, null);
            }
        }
        Items = await outbox.ListAsync(filter, 200, cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken) =>
        await ActAsync(() => outbox.RetryAsync(id, cancellationToken), "Queued again; Parley tries it now.");

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken cancellationToken) =>
        await ActAsync(() => outbox.CancelAsync(id, cancellationToken), "Cancelled: Parley will not try this email again.");

    /// <summary>Runs an action on one row; the list it came from shows what happened, or why it was refused.</summary>
    private async Task<IActionResult> ActAsync(Func<Task> action, string done)
    {
        if (await TryAsync(action))
        {
            Flash(done);
        }
        else
        {
            Flash(string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)));
        }

        return Back();
    }

    private IActionResult Back() => Url.IsLocalUrl(ReturnTo) ? LocalRedirect(ReturnTo) : Redirect($"/outbox?state={State}");
}
