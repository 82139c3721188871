using Microsoft.AspNetCore.Mvc;
using Parley.Core.Common;
using Parley.Core.Identity;

namespace Parley.Pages.Settings;

/// <summary>API tokens: create one (shown once), see yours (an admin sees everyone's) and revoke them.</summary>
public sealed class TokensModel(ApiTokenService tokens, TimeProvider clock) : ParleyPageModel
{
    public static readonly int[] ExpiryChoices = [30, 90, 365];

    [BindProperty] public string? TokenName { get; set; }
    [BindProperty] public ApiTokenScope Scope { get; set; } = ApiTokenScope.Full;
    /// <summary>Days until the token stops working; empty means it does not expire.</summary>
    [BindProperty] public int? ExpiresInDays { get; set; }
    public List<ApiToken> Tokens { get; private set; } = [];
    public string? NewTokenSecret { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tokens = await tokens.ListAsync(Acting, cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var expiresAt = ExpiresInDays is { } days ? Now.AddDays(days) : (DateTimeOffset?)null;
        await TryAsync(async () => NewTokenSecret = (await tokens.CreateAsync(Acting.Id, TokenName, Scope, expiresAt, cancellationToken)).Secret);
        Tokens = await tokens.ListAsync(Acting, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long tokenId, CancellationToken cancellationToken)
    {
        try
        {
            await tokens.RevokeAsync(Acting, tokenId, cancellationToken);
            Flash("Token revoked: it stops working at once.");
        }
        catch (NotFoundException)
        {
            Flash("That token was already revoked.");
        }
        return RedirectToPage();
    }

    public static string Describe(ApiTokenScope scope) => scope switch
    {
        ApiTokenScope.Read => "read only",
        ApiTokenScope.Mailgate => "mailgate",
        ApiTokenScope.Metrics => "metrics",
        _ => "full",
    };
}
