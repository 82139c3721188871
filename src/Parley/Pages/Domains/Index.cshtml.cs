using Microsoft.AspNetCore.Mvc;
using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Core.Settings;
using Parley.Deliverability.Doctor;

namespace Parley.Pages.Domains;

/// <summary>Sending domains, their DKIM keys, and the exact DNS records to publish.</summary>
public sealed class IndexModel(SendingDomainService domains, DoctorRunService doctor, SettingsService settings) : ParleyPageModel
{
    [BindProperty] public string? NewDomain { get; set; }
    public List<SendingDomain> Items { get; private set; } = [];
    public Dictionary<string, List<DnsRecordSuggestion>> Records { get; } = [];
    public string? AliasDomain { get; private set; }
    /// <summary>The alias domain's SPF and MX rows: the same for every sending domain, so the page shows them once.</summary>
    public List<DnsRecordSuggestion> AliasRecords { get; private set; } = [];
    /// <summary>The last doctor report per sending domain id.</summary>
    public Dictionary<long, DoctorReport> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        SendingDomain? created = null;
        if (await TryAsync(async () => created = await domains.RegisterAsync(NewDomain, cancellationToken), "New"))
        {
            Flash($"{created!.Name} registered with new DKIM keys. Publish the records below, then Parley signs its mail.");
            return Redirect("/domains");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(string domain, CancellationToken cancellationToken)
    {
        await domains.RotateKeysAsync(domain, cancellationToken);
        Flash($"New DKIM keys for {domain}. Publish the new records; Parley signs with the new keys from now on.");
        return Redirect("/domains");
    }

    public async Task<IActionResult> OnPostCheckAsync(string domain, CancellationToken cancellationToken)
    {
        var run = await doctor.RunAsync(domain, cancellationToken);
        Flash(DoctorFlash.For(run));
        return Redirect($"/domains#doctor-{run.Report.Domain}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Items = await domains.ListAsync(cancellationToken);
        Reports = await doctor.LastReportsAsync(cancellationToken);
        AliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
        foreach (var d in Items)
        {
            var records = await domains.RecordsAsync(d.Name, cancellationToken);
            var shared = records.Where(IsAliasRecord).ToList();
            if (AliasRecords.Count == 0)
            {
                AliasRecords = shared;
            }
            Records[d.Name] = records.Except(shared).ToList();
        }
    }

    private bool IsAliasRecord(DnsRecordSuggestion r) =>
        AliasDomain is not null && string.Equals(r.Name, AliasDomain, StringComparison.OrdinalIgnoreCase)
        && (r.Type == "MX" || r.Value.StartsWith("v=spf1", StringComparison.Ordinal));
}
