using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Domains;
using Parley.Core.Reports;
using Parley.Deliverability.Reports;

namespace Parley.Api;

public sealed record ReportImportDto(string Source, string Status, long? Id, string? Kind, string Description)
{
    public static ReportImportDto From(ReportImport i) =>
        new(i.Source, i.Status.ToString().ToLowerInvariant(), i.ReportId, i.Kind?.ToString(), i.Description);
}

public sealed record ReceivedReportDto(long Id, string Kind, string Channel, string Source, string? Org, string? ReportId, string? Domain, bool Ours,
    DateTimeOffset ReceivedAt, DateTimeOffset? Begin, DateTimeOffset? End, long Volume, string? Problem);

/// <summary>
/// Reports by API: <c>POST /api/v1/reports</c> takes one input (raw XML or JSON, .gz, .zip or a whole .eml), stores it
/// raw and each report in it once; <c>GET /api/v1/reports</c> lists what came; <c>GET /api/v1/domains/{d}/dmarc</c> is the
/// domain's overview (sources with verdicts, totals, daily volume, advice, TLS-RPT failures).
/// </summary>
public static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapPost("", async (HttpRequest request, string? name, ReportStore store, ReportLimits limits, CancellationToken cancellationToken) =>
        {
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = limits.MaxInputBytes + 1;
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limits.MaxInputBytes)
                {
                    return Results.Problem(title: "Report too big", detail: $"Reports up to {limits.MaxInputBytes / (1024 * 1024)} MB are taken.", statusCode: StatusCodes.Status413PayloadTooLarge);
                }
            }

            if (buffer.Length == 0)
            {
                return Results.Problem(title: "Empty report", detail: "The request body is empty: send the report itself (XML, JSON, .gz, .zip or .eml).", statusCode: StatusCodes.Status400BadRequest);
            }

            var results = (await store.ImportAsync(buffer.ToArray(), string.IsNullOrWhiteSpace(name) ? "the request body" : name, ReportChannels.Api, cancellationToken)).Select(ReportImportDto.From).ToList();
            var body = new { results };
            if (results.Any(r => r.Status == "stored"))
            {
                return Results.Created("/api/v1/reports", body);
            }

            // Nothing new: a copy of what is stored is fine (200); an input with no readable report is kept raw, but refused (422).
            return results.Any(r => r.Status == "duplicate") ? Results.Ok(body) : Results.UnprocessableEntity(body);
        })
        .Accepts<byte[]>("application/xml", "application/json", "application/gzip", "application/zip", "message/rfc822", "application/octet-stream")
        .WithSummary("Hand in a DMARC aggregate or TLS report: raw XML or JSON, gzip, zip or a whole email")
        .WithDescription("201 when a report was stored, 200 when every report in it was already stored, 422 when nothing in it could be read (it is kept raw, with the reasons). " +
            "Returns {results: [{source, status: stored|duplicate|refused, id, kind, description}]}.");

        reports.MapGet("", async (int? limit, ParleyDbContext db, CancellationToken cancellationToken) =>
            (await db.Reports.AsNoTracking().OrderByDescending(r => r.Id).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(cancellationToken))
                .Select(r => new ReceivedReportDto(r.Id, r.Kind.ToString(), r.Channel, r.Source, r.OrgName, r.ReportId, r.Domain, r.IsOurs, r.ReceivedAt, r.BeginAt, r.EndAt, r.Volume, r.Problem)))
            .WithSummary("The reports received, newest first (refused ones and reports for domains that are not ours included, flagged)");

        api.MapGet("/domains/{domain}/dmarc", async (string domain, string? from, string? to, SendingDomainService domains, DmarcOverviewReader reader, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var sending = await domains.GetAsync(domain, cancellationToken);
            if (ReportPeriod.Parse(from, to, clock) is not { } period)
            {
                return Results.Problem(title: "Bad period", detail: "from and to are dates as yyyy-MM-dd, from not after to, at most 366 days apart.", statusCode: StatusCodes.Status400BadRequest);
            }

            var overview = await reader.ReadAsync(sending.Name, period.From, period.To, cancellationToken);
            return Results.Ok(DmarcOverviewJson.From(overview));
        })
        .WithTags("Reports")
        .WithSummary("The domain's DMARC sources over a period (default: the last 30 days), each with a verdict, plus totals, daily volume, compliance, advice and TLS-RPT failures");
    }
}

/// <summary>The period of a domain overview: from and to as dates (UTC days), the last 30 days by default.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;

    public static ReportPeriod? Parse(string? from, string? to, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!TryDate(to, today, out var end) || !TryDate(from, end.AddDays(-(DefaultDays - 1)), out var start) || start > end || end.DayNumber - start.DayNumber > 366)
        {
            return null;
        }

        return new ReportPeriod(start, end);
    }

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}

/// <summary>The overview's JSON shape: {domain, from, to, record, sources: [{ip, ptr, count, spf, dkim, disposition, verdict, why, reporters}], totals, daily, advice, tls}.</summary>
public static class DmarcOverviewJson
{
    public static object From(DmarcOverview o) => new
    {
        domain = o.Domain,
        from = o.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        to = o.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        record = o.PublishedRecord,
        sources = o.Sources.Select(s => new
        {
            ip = s.Ip,
            ptr = s.Ptr,
            count = s.Count,
            compliant = s.Compliant,
            spf = new { result = s.SpfResult, aligned = s.SpfAligned },
            dkim = new { result = s.DkimResult, aligned = s.DkimAligned, selectors = s.Selectors },
            disposition = s.Disposition,
            verdict = VerdictName(s.Verdict),
            why = s.Why,
            reporters = s.Reporters,
        }),
        totals = new
        {
            messages = o.Totals.Messages,
            compliant = o.Totals.Compliant,
            compliance = o.Totals.CompliancePercent,
            sources = o.Totals.Sources,
            reports = o.Totals.Reports,
            byVerdict = o.Totals.ByVerdict.ToDictionary(p => VerdictName(p.Key), p => p.Value),
        },
        daily = o.Daily.Select(d => new { day = d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), messages = d.Messages, compliant = d.Compliant }),
        advice = o.Advice.Select(a => new { kind = a.Kind, text = a.Text, recordName = a.RecordName, record = a.Record }),
        tls = new
        {
            successful = o.Tls.Successful,
            failed = o.Tls.Failed,
            reports = o.Tls.Reports,
            failures = o.Tls.Failures.Select(f => new { mx = f.ReceivingMx, type = f.ResultType, sessions = f.Sessions }),
        },
    };

    /// <summary>parley-route, known-forwarder, authorised-sender, failing-legitimate, suspected-forgery.</summary>
    public static string VerdictName(SourceVerdict verdict) => verdict switch
    {
        SourceVerdict.ParleyRoute => "parley-route",
        SourceVerdict.KnownForwarder => "known-forwarder",
        SourceVerdict.AuthorisedSender => "authorised-sender",
        SourceVerdict.FailingLegitimate => "failing-legitimate",
        _ => "suspected-forgery",
    };
}
