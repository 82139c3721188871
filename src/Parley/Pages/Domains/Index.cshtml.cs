using Microsoft.AspNetCore.Mvc;
using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Deliverability.Doctor;

namespace Parley.Pages.Domains;

/// <summary>Sending domains, their DKIM keys, and the exact DNS records to publish.</summary>
public sealed class IndexModel(SendingDomainService domains, DoctorRunService doctor) : ParleyPageModel
{
    [BindProperty] public string? NewDomain { get; set; }
    public List<SendingDomain> Items { get; private set; } = [];
    public Dictionary<string, List<DnsRecordSuggestion>> Records { get; } = [];
    /// <summary>The last doctor report per sending domain id.</summary>
    public Dictionary<long, DoctorReport> Reports { get; private set; } = [];

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

    public async Task<IActionResult> OnPostCheckAsync(string domain, CancellationToken ct)
    {
        var run = await doctor.RunAsync(domain, ct);
        Flash(DoctorFlash.For(run));
        return Redirect($"/domains#doctor-{run.Report.Domain}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await domains.ListAsync(ct);
        Reports = await doctor.LastReportsAsync(ct);
        foreach (var d in Items) Records[d.Name] = await domains.RecordsAsync(d.Name, ct);
    }
}
