using Microsoft.AspNetCore.Mvc;
using Parley.Api;
using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Core.Reports;
using Parley.Deliverability.Reports;

namespace Parley.Pages.Deliverability;

/// <summary>
/// A sending domain's DMARC reports: who sends as the domain (each source with its verdict), the daily volume and the
/// compliance, the advice that moves the policy, TLS-RPT failures per MX; and an upload for reports that came otherwise.
/// </summary>
public sealed class DmarcPageModel(DoctorRunService doctor, DmarcOverviewReader reader, ReportStore store, ReportLimits limits, TimeProvider clock) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    /// <summary>Every source, not only the largest (a domain that is forged names thousands of addresses).</summary>
    [BindProperty(SupportsGet = true)] public bool All { get; set; }

    /// <summary>How many sources the page lists unless asked for all of them.</summary>
    public const int ShownSources = 200;

    public SendingDomain Domain { get; private set; } = null!;
    public DmarcOverview Overview { get; private set; } = null!;
    public IReadOnlyList<ReportImport>? Imported { get; private set; }
    public string? PeriodError { get; private set; }

    /// <summary>The sources listed: the largest first (the overview's order), all of them when asked.</summary>
    public IEnumerable<DmarcSource> ListedSources => All ? Overview.Sources : Overview.Sources.Take(ShownSources);
    public int UnlistedSources => All ? 0 : Math.Max(0, Overview.Sources.Count - ShownSources);
    public long UnlistedMessages => All ? 0 : Overview.Sources.Skip(ShownSources).Sum(s => s.Count);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostUploadAsync(List<IFormFile>? files, CancellationToken cancellationToken)
    {
        var imported = new List<ReportImport>();
        foreach (var file in files ?? [])
        {
            if (file.Length == 0)
            {
                continue;
            }

            if (file.Length > limits.MaxInputBytes)
            {
                imported.Add(new ReportImport(file.FileName, ReportImportStatus.Refused, null, null,
                    $"Refused: the file is {file.Length / (1024 * 1024)} MB; reports up to {limits.MaxInputBytes / (1024 * 1024)} MB are taken."));
                continue;
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            imported.AddRange(await store.ImportAsync(buffer.ToArray(), file.FileName, ReportChannels.Upload, cancellationToken));
        }

        if (imported.Count == 0)
        {
            ModelState.AddModelError("files", "Choose one or more report files first (.xml, .json, .gz, .zip or .eml).");
        }

        Imported = imported;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Domain = await doctor.GetDomainAsync(Id, cancellationToken);
        var period = ReportPeriod.Parse(From, To, clock);
        if (period is null)
        {
            PeriodError = "The period needs dates as yyyy-MM-dd, the first not after the last, at most a year apart; showing the last 30 days.";
            period = ReportPeriod.Parse(null, null, clock)!;
        }

        From = period.From.ToString("yyyy-MM-dd");
        To = period.To.ToString("yyyy-MM-dd");
        Overview = await reader.ReadAsync(Domain.Name, period.From, period.To, cancellationToken);
    }

    /// <summary>The verdict's label and its CSS token.</summary>
    public static (string Label, string Token) Verdict(SourceVerdict verdict) => verdict switch
    {
        SourceVerdict.ParleyRoute => ("Parley's own route", "parley"),
        SourceVerdict.KnownForwarder => ("Known forwarder", "forwarder"),
        SourceVerdict.AuthorisedSender => ("Another authorised sender", "authorised"),
        SourceVerdict.FailingLegitimate => ("Failing, looks legitimate", "failing"),
        _ => ("Suspected forgery", "forgery"),
    };
}
