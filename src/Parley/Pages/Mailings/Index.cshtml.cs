using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Parley.Api;
using Parley.Core.Mailings;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Core.Templates;

namespace Parley.Pages.Mailings;

/// <summary>The mailings, newest first, with their progress, and the form for a new one (a draft, sent now, or scheduled).</summary>
public sealed class IndexModel(MailingService mailings, MailingReader reader, TemplateService templates, OutgoingServerService servers,
    SettingsService settings, UserTime times) : ParleyPageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public long? TemplateId { get; set; }
    [BindProperty] public string? Tag { get; set; }
    /// <summary>"draft", "now" or "schedule".</summary>
    [BindProperty] public string When { get; set; } = "now";
    /// <summary>A datetime-local value, read as UTC.</summary>
    [BindProperty] public string? ScheduledAt { get; set; }
    [BindProperty] public long? OutgoingServerId { get; set; }
    [BindProperty] public int? PerHour { get; set; }

    public List<MailingSummary> Items { get; private set; } = [];
    public List<MailTemplate> Templates { get; private set; } = [];
    public List<OutgoingServer> Servers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? at = null;
        if (When == "schedule")
        {
            if (!DateTime.TryParse(ScheduledAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                ModelState.AddModelError("scheduledAt", "Choose the date and time (UTC) to send it at.");
                await LoadAsync(cancellationToken);
                return Page();
            }
            at = new DateTimeOffset(parsed, TimeSpan.Zero);
        }
        Mailing? created = null;
        var ok = await TryAsync(async () =>
        {
            created = await mailings.CreateAsync(new MailingInput(Name, TemplateId, RecordDirectory.ContactType, Tag, null, at, OutgoingServerId, PerHour),
                Acting, await MailingsApi.PublicBaseUrlAsync(settings, Request, cancellationToken), cancellationToken);
            if (When == "now")
            {
                await mailings.SendAsync(created.Id, Acting, cancellationToken);
            }
        });
        if (!ok || created is null)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }
        Flash(When switch
        {
            "now" => $"Mailing \"{created.Name}\" is on its way.",
            "schedule" => $"Mailing \"{created.Name}\" is scheduled for {(at is { } when ? times.Format(when) : "")}.",
            _ => $"Mailing \"{created.Name}\" is saved as a draft.",
        });
        return Redirect($"/mailings/{created.Id}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Items = (await reader.ListAsync(0, 100, cancellationToken)).Page;
        Templates = await templates.ListAsync(RecordDirectory.ContactType, cancellationToken);
        Servers = (await servers.ListAsync(cancellationToken)).ToList();
    }
}
