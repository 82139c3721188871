using Microsoft.AspNetCore.Mvc;
using Parley.Core.Domains;

namespace Parley.Pages.Domains;

/// <summary>Sending domains, their DKIM keys, and the exact DNS records to publish.</summary>
public sealed class IndexModel(SendingDomainService domains) : ParleyPageModel
{
    [BindProperty] public string? NewDomain { get; set; }
    public List<SendingDomain> Items { get; private set; } = [];
    public Dictionary<string, List<DnsRecordSuggestion>> Records { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken ct)
    {
        SendingDomain? created = null;
        if (await TryAsync(async () => created = await domains.RegisterAsync(NewDomain, ct), "New"))
        {
            Flash($"{created!.Name} registered with new DKIM keys. Publish the records below, then Parley signs its mail.");
            return Redirect("/domains");
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(string domain, CancellationToken ct)
    {
        await domains.RotateKeysAsync(domain, ct);
        Flash($"New DKIM keys for {domain}. Publish the new records; Parley signs with the new keys from now on.");
        return Redirect("/domains");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await domains.ListAsync(ct);
        foreach (var d in Items) Records[d.Name] = await domains.RecordsAsync(d.Name, ct);
    }
}
