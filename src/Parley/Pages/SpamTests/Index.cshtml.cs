using Microsoft.AspNetCore.Mvc;
using Parley.Core.SpamTest;

namespace Parley.Pages.SpamTests;

/// <summary>The spam test: make a throw-away address, and the history of past tests with their scores.</summary>
public sealed class IndexModel(SpamTestService tests) : ParleyPageModel
{
    public IReadOnlyList<SpamTestView> History { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => History = await tests.ListAsync(100, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        SpamTestView? created = null;
        if (await TryAsync(async () => created = await tests.CreateAsync(Acting.Id, null, null, ct)))
        {
            return Redirect($"/spam-tests/{created!.Test.Token}");
        }

        History = await tests.ListAsync(100, ct);
        return Page();
    }
}
