using Microsoft.AspNetCore.Mvc;
using Parley.Core.Inbound;
using Parley.Core.Settings;

namespace Parley.Pages.Inbound;

/// <summary>The fields of "Change the rules"; an empty number is left for the service to refuse.</summary>
public sealed class InboundRulesForm
{
    public CatchallPolicy Catchall { get; set; }
    public int? HardBounceThreshold { get; set; }
    public int? LoopLimit { get; set; }
    public int? LoopWindowMinutes { get; set; }
    public SenderVerification SenderVerification { get; set; }

    public static InboundRulesForm Of(InboundSettings s) => new()
    {
        Catchall = s.Catchall,
        HardBounceThreshold = s.HardBounceThreshold,
        LoopLimit = s.LoopLimit,
        LoopWindowMinutes = s.LoopWindowMinutes,
        SenderVerification = s.SenderVerification,
    };

    /// <summary>-1 is out of range for every number, so a missing one gets the service's own message.</summary>
    public InboundSettings ToSettings() => new(Catchall, HardBounceThreshold ?? -1, LoopLimit ?? -1, LoopWindowMinutes ?? -1, SenderVerification);
}

/// <summary>The inbound rules (catchall, loop protection, hard-bounce threshold) explained, and a form to change them.</summary>
public sealed class RulesModel(InboundSettingsService service, SettingsService settings) : ParleyPageModel
{
    public InboundSettings Current { get; private set; } = InboundSettings.Default;
    public string? AliasDomain { get; private set; }
    [BindProperty] public InboundRulesForm Rules { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Rules = InboundRulesForm.Of(Current);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        InboundSettings? saved = null;
        if (ModelState.IsValid && await TryAsync(async () => saved = await service.SetAsync(Rules.ToSettings(), cancellationToken), nameof(Rules)))
        {
            Flash(InboundRulesText.Changes(Current, saved!));
            return RedirectToPage();
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = await service.GetAsync(cancellationToken);
        AliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
    }
}
