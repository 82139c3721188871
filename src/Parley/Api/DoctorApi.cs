using Parley.Core.Doctor;
using Parley.Deliverability.Doctor;

namespace Parley.Api;

/// <summary>GET /api/v1/domains/{domain}/doctor: the doctor's checks of a sending domain against Parley's own setup.</summary>
public static class DoctorApi
{
    public static void MapDoctorApi(this RouteGroupBuilder domains)
    {
        domains.MapGet("/{domain}/doctor", async (string domain, DoctorRunService doctor, CancellationToken cancellationToken) =>
        {
            var run = await doctor.RunAsync(domain, cancellationToken);
            return Results.Text(DoctorReportJson.Serialize(run.Report, indented: false), "application/json");
        })
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("Run the domain doctor now: SPF, DKIM, DMARC, MX, reverse DNS, block lists, MTA-STS, TLS-RPT, BIMI and DNSSEC, checked against how Parley sends")
        .WithDescription("Returns {domain, checkedAt, findings: [{id, area, severity: pass|info|warn|fail, title, detail, fix?: {type, name, value, strings?}}]}. " +
            "The report becomes the domain's last check; when its findings differ from the previous check, an event is posted to the domain's Deliverability chatter and emailed to the admins.");

        domains.MapGet("/{domain}/doctor/last", async (string domain, Parley.Core.Domains.SendingDomainService service, DoctorRunService doctor, CancellationToken cancellationToken) =>
        {
            var entity = await service.GetAsync(domain, cancellationToken);
            return await doctor.LastAsync(entity.Id, cancellationToken) is { } last
                ? Results.Text(DoctorReportJson.Serialize(last.Report, indented: false), "application/json")
                : Results.Problem(title: "Not checked yet", detail: $"{entity.Name} has not been checked yet. GET /api/v1/domains/{entity.Name}/doctor runs the checks.", statusCode: StatusCodes.Status404NotFound);
        })
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithSummary("The last doctor report of the domain (from \"Check now\", the API or the schedule), without running the checks");
    }
}
