using Microsoft.AspNetCore.Mvc;
using Parley.Core.Chatter;
using Parley.Core.Doctor;
using Parley.Core.Domains;
using Parley.Core.Records;
using Parley.Pages.Contacts;
using Parley.Pages.Domains;

namespace Parley.Pages.Deliverability;

/// <summary>The Deliverability record of a sending domain: its last doctor report and the timeline of changes.</summary>
public sealed class DeliverabilityPageModel(TimelineReader timeline, DoctorRunService doctor) : ParleyPageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    public SendingDomain Domain { get; private set; } = null!;
    public DoctorReportView Report { get; private set; } = null!;
    public TimelineView Timeline { get; private set; } = null!;

    private RecordRef Record => new(RecordDirectory.DeliverabilityType, Id);

    public async Task OnGetAsync(long? before, long? images, CancellationToken cancellationToken)
    {
        Domain = await doctor.GetDomainAsync(Id, cancellationToken);
        var last = await doctor.LastAsync(Id, cancellationToken);
        Report = new DoctorReportView(Id, Domain.Name, last?.Report, ShowHistoryLink: false);
        Timeline = await TimelineView.ReadAsync(timeline, Record, before, images, cancellationToken);
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        var domain = await doctor.GetDomainAsync(Id, cancellationToken);
        var run = await doctor.RunAsync(domain, cancellationToken);
        Flash(DoctorFlash.For(run));
        return Redirect($"/deliverability/{Id}");
    }
}
