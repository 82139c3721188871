using Microsoft.AspNetCore.Mvc;
using Parley.Core.Common;
using Parley.Core.Suppression;

namespace Parley.Pages.Outbox;

/// <summary>The form fields of "Add an address".</summary>
public sealed class SuppressForm
{
    public string? Address { get; set; }
    public string? Note { get; set; }
}

/// <summary>Addresses Parley will not email (hard bounces, unsubscribes, added by hand): search, add, lift.</summary>
public sealed class SuppressedModel(SuppressionService suppressions, UserTime times) : ParleyPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty] public SuppressForm Suppress { get; set; } = new();
    public List<SuppressedAddress> Items { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        (Items, Total) = await suppressions.SearchAsync(Q, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        if (Items.Count == 0 && PageNumber > Pages) // past the end, e.g. after lifting the last address of the last page
        {
            PageNumber = Pages;
            (Items, Total) = await suppressions.SearchAsync(Q, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var before = Suppress.Address is { } typed ? await suppressions.FindAsync(typed, cancellationToken) : null;
        SuppressedAddress? row = null;
        if (await TryAsync(async () => row = await suppressions.AddAsync(Suppress.Address, Suppress.Note, cancellationToken), nameof(Suppress)))
        {
            Flash(before is null
                ? $"{row!.Address} is on the list now: Parley will not email it until you lift it."
                : $"{row!.Address} was already on the list (since {times.Format(row.CreatedAt)}), so nothing changed.");
            return RedirectToPage();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostLiftAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            await suppressions.RemoveAsync(address, cancellationToken);
            Flash($"{address} was lifted: Parley will email it again. If mail to it bounces hard again, it comes back on this list.");
        }
        catch (NotFoundException)
        {
            Flash($"{address} was no longer on the list.");
        }
        return RedirectToPage(new { q = Q, p = PageNumber > 1 ? PageNumber : (int?)null });
    }

    public string PageLink(int page) => Url.Page("Suppressed", new { q = Q, p = page })!;

    /// <summary>Why the address is here, in a few words.</summary>
    public static string Why(SuppressionReason reason) => reason switch
    {
        SuppressionReason.HardBounce => "Hard bounce",
        SuppressionReason.Unsubscribe => "Unsubscribed",
        SuppressionReason.Complaint => "Marked as spam",
        _ => "Added by hand",
    };

    /// <summary>The stored words (the server's reply, the admin's note), unless they are only the default note.</summary>
    public static string? Details(SuppressedAddress row) => row.Detail is null or "" or "Added by an admin." ? null : row.Detail;


    public static string LiftQuestion(string address) =>
        $"Lift {address}? Parley will email this address again. If mail to it still bounces, it comes back on this list by itself.";
}
