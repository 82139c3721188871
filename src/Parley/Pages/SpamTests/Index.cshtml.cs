using Microsoft.AspNetCore.Mvc;
using Parley.Core.SpamTest;

namespace Parley.Pages.SpamTests;

/// <summary>The spam test: make a throw-away address, and the history of past tests with their scores.</summary>
public sealed class IndexModel(SpamTestService tests) : ParleyPageModel
{
    public IReadOnlyList<SpamTestView> History { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => History = await tests.ListAsync(100, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        SpamTestView? created = null;
        if (await TryAsync(async () => created = await tests.CreateAsync(Acting.Id, null, null, cancellationToken)))
        {
            return Redirect($"/spam-tests/{created!.Test.Token}");
        }

        History = await tests.ListAsync(100, cancellationToken);
        return Page();
    }
}
