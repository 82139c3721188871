using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Deliverability.Feedback;
using Parley.Deliverability.Reports;
using static Parley.Core.Common.TextLimit;

namespace Parley.Core.Reports;

/// <summary>How one document of an input was taken.</summary>
public enum ReportImportStatus { Stored, Duplicate, Refused }

/// <summary>What became of one document: stored (its id), a duplicate of an earlier report (that one's id), or refused (why).</summary>
public sealed record ReportImport(string Source, ReportImportStatus Status, long? ReportId, ReceivedReportKind? Kind, string Description);

/// <summary>The channels reports arrive by.</summary>
public static class ReportChannels
{
    public const string Mail = "mail";
    public const string Api = "api";
    public const string Cli = "cli";
    public const string Upload = "upload";
}

/// <summary>
/// Takes reports in, from every channel: reads the input (<see cref="ReportReader"/>, bounded, never throwing), and
/// stores each document once — a report already stored (same reporter and report id) is not stored again, a refused
/// document is kept with its reason. The raw input is kept: an email stays the inbound message it came as, anything else
/// is stored as given. Changes are tracked; <see cref="ImportAsync"/> saves them, <see cref="AddFromMail"/> leaves that
/// to the caller (the router saves them with the message's routing, in one transaction).
/// </summary>
public sealed class ReportStore(ParleyDbContext db, TimeProvider clock, ReportReader reader)
{
    /// <summary>Reads and stores an upload, an API body or a file; saved before this returns.</summary>
    public async Task<IReadOnlyList<ReportImport>> ImportAsync(byte[] input, string name, string channel, CancellationToken cancellationToken)
    {
        var raw = new RawMime { Content = input, CreatedAt = clock.GetUtcNow() };
        db.RawMimes.Add(raw);
        var added = await AddAsync(reader.Read(input, name), channel, r => r.RawMime = raw, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return added.Select(a => a.Entity is { } entity ? a.Import with { ReportId = entity.Id } : a.Import).ToList();
    }

    /// <summary>Reads the reports of a received email and tracks them, linked to the message and its raw MIME; the caller saves.</summary>
    public async Task<IReadOnlyList<ReportImport>> AddFromMailAsync(byte[] message, long inboundId, long rawMimeId, string name, CancellationToken cancellationToken)
    {
        var added = await AddAsync(reader.Read(message, name), ReportChannels.Mail, r =>
        {
            r.RawMimeId = rawMimeId;
            r.InboundMessageId = inboundId;
        }, cancellationToken);
        return added.Select(a => a.Import).ToList();
    }

    private async Task<List<Added>> AddAsync(IReadOnlyList<ReportOutcome> outcomes, string channel, Action<ReceivedReport> link, CancellationToken cancellationToken)
    {
        var ours = await db.SendingDomains.AsNoTracking().Select(d => d.Name).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var added = new List<Added>();
        foreach (var outcome in outcomes)
        {
            var kind = outcome.Kind switch
            {
                ReportKind.DmarcAggregate => ReceivedReportKind.DmarcAggregate,
                ReportKind.TlsRpt => ReceivedReportKind.TlsRpt,
                ReportKind.DmarcFailure => ReceivedReportKind.DmarcFailure,
                _ => ReceivedReportKind.Refused,
            };
            var (org, id) = outcome.Dmarc is { } d ? (d.OrgName, d.ReportId)
                : outcome.Tls is { } t ? (t.OrgName, t.ReportId)
                : outcome.Failure is { } f ? FailureIdentity(f)
                : (null, null);
            org = Truncate(org, 200);
            id = Truncate(id, 300);
            if (org is not null && await ExistingAsync(kind, org, id!, cancellationToken) is { } existing)
            {
                added.Add(new Added(new ReportImport(outcome.Source, ReportImportStatus.Duplicate, existing, kind,
                    $"Already stored as report {existing} ({org}, report id {id}): not stored again."), null));
                continue;
            }

            var report = new ReceivedReport
            {
                Kind = kind,
                ReceivedAt = now,
                Channel = channel,
                Source = Truncate(outcome.Source, 500)!,
                OrgName = org,
                ReportId = id,
                Problem = Truncate(outcome.Refusal, 2000),
            };
            db.Reports.Add(report);
            link(report);
            string description;
            if (outcome.Dmarc is { } dmarc)
            {
                description = AddDmarc(report, dmarc, ours);
            }
            else if (outcome.Tls is { } tls)
            {
                description = AddTls(report, tls, ours);
            }
            else if (outcome.Failure is { } failure)
            {
                description = AddFailure(report, failure, ours);
            }
            else
            {
                description = "Refused: " + outcome.Refusal;
            }

            added.Add(new Added(new ReportImport(outcome.Source, kind == ReceivedReportKind.Refused ? ReportImportStatus.Refused : ReportImportStatus.Stored, null, kind, description), report));
        }

        return added;
    }

    private async Task<long?> ExistingAsync(ReceivedReportKind kind, string org, string id, CancellationToken cancellationToken)
    {
        // Reports tracked in this unit of work (a second copy in the same email, the same routing chunk) count too.
        var tracked = db.Reports.Local.FirstOrDefault(r => r.Kind == kind && r.OrgName == org && r.ReportId == id);
        if (tracked is not null)
        {
            return tracked.Id;
        }

        return await db.Reports.AsNoTracking().Where(r => r.Kind == kind && r.OrgName == org && r.ReportId == id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private string AddDmarc(ReceivedReport report, DmarcAggregateReport dmarc, List<string> ours)
    {
        report.Domain = Truncate(dmarc.Policy.Domain, 253);
        report.IsOurs = IsOurs(dmarc.Policy.Domain, ours);
        report.BeginAt = dmarc.Begin;
        report.EndAt = dmarc.End;
        report.Volume = dmarc.MessageCount;
        report.Policy = Truncate(dmarc.Policy.Policy, 16);
        report.Problem = dmarc.Warnings.Count > 0 ? Truncate(string.Join(" ", dmarc.Warnings), 2000) : null;
        var day = new DateTimeOffset(dmarc.Begin.UtcDateTime.Date, TimeSpan.Zero);
        db.AddRange(dmarc.Records.Select(r => new DmarcReportRow
        {
            Report = report,
            Domain = report.Domain!,
            Day = day,
            Reporter = report.OrgName!,
            SourceIp = r.SourceIp.ToString(),
            Count = r.Count,
            Disposition = Truncate(r.Disposition, 16)!,
            DkimAligned = r.DkimAligned,
            SpfAligned = r.SpfAligned,
            DkimResult = r.Dkim.Any(k => k.Result == "pass") ? "pass" : r.Dkim.FirstOrDefault()?.Result ?? "none",
            DkimSignatures = Truncate(r.Dkim.Count == 0 ? null : string.Join(", ", r.Dkim.Select(k => $"{k.Domain} {k.Selector ?? "-"} {k.Result}")), 1000),
            SpfResult = r.Spf.FirstOrDefault()?.Result ?? "none",
            SpfDomain = Truncate(r.Spf.FirstOrDefault()?.Domain, 253),
            HeaderFrom = Truncate(r.HeaderFrom, 253)!,
            EnvelopeFrom = Truncate(r.EnvelopeFrom, 253),
            Reasons = Truncate(r.Reasons.Count == 0 ? null : string.Join("; ", r.Reasons), 500),
        }));

        var where = report.IsOurs ? "" : $" {dmarc.Policy.Domain} is not one of Parley's sending domains: kept, flagged, and not counted in any domain's figures.";
        return $"DMARC aggregate report from {dmarc.OrgName} for {dmarc.Policy.Domain} ({dmarc.Begin:yyyy-MM-dd}), {Quantity.Of(dmarc.Records.Count, "row")}, {Quantity.Of(dmarc.MessageCount, "message")}.{where}";
    }

    private string AddTls(ReceivedReport report, TlsReport tls, List<string> ours)
    {
        var domain = tls.Policies.FirstOrDefault()?.PolicyDomain;
        report.Domain = Truncate(domain, 253);
        report.IsOurs = domain is not null && IsOurs(domain, ours);
        report.BeginAt = tls.Start;
        report.EndAt = tls.End;
        report.Volume = tls.Policies.Sum(p => p.Successful + p.Failed);
        var day = new DateTimeOffset(tls.Start.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var policy in tls.Policies)
        {
            db.Add(new TlsReportPolicyRow
            {
                Report = report,
                Domain = Truncate(policy.PolicyDomain, 253)!,
                Day = day,
                Reporter = report.OrgName!,
                PolicyType = Truncate(policy.PolicyType, 32)!,
                Successful = policy.Successful,
                Failed = policy.Failed,
            });
            foreach (var failure in policy.Failures)
            {
                db.Add(new TlsReportFailureRow
                {
                    Report = report,
                    Domain = Truncate(policy.PolicyDomain, 253)!,
                    Day = day,
                    ResultType = Truncate(failure.ResultType, 64)!,
                    ReceivingMx = Truncate(failure.ReceivingMx, 253),
                    ReceivingIp = Truncate(failure.ReceivingIp, 45),
                    SendingIp = Truncate(failure.SendingMtaIp, 45),
                    Count = failure.FailedSessions,
                    ReasonCode = Truncate(failure.ReasonCode, 500),
                });
            }
        }

        var failed = tls.Policies.Sum(p => p.Failed);
        var where = report.IsOurs ? "" : $" {domain ?? "Its domain"} is not one of Parley's sending domains: kept, flagged, and not counted in any domain's figures.";
        return $"TLS report from {tls.OrgName} for {domain ?? "no policy"} ({tls.Start:yyyy-MM-dd}): {tls.Policies.Sum(p => p.Successful)} sessions succeeded, {failed} failed.{where}";
    }

    /// <summary>
    /// A failure report has no report id: the reporter and the failed message (its Message-ID, the source IP) name it,
    /// so the same report sent twice is stored once.
    /// </summary>
    private static (string? Org, string? Id) FailureIdentity(FeedbackReport failure) =>
        (failure.UserAgent ?? failure.ReportingMta ?? "unknown reporter", $"{failure.OriginalMessageId ?? "no Message-ID"} from {failure.SourceIp ?? "unknown IP"}");

    private static string AddFailure(ReceivedReport report, FeedbackReport failure, List<string> ours)
    {
        var domain = failure.ReportedDomains.FirstOrDefault() ?? failure.AuthFailure?.DkimDomain ?? FromDomain(failure);
        report.Domain = Truncate(domain?.ToLowerInvariant(), 253);
        report.IsOurs = domain is not null && IsOurs(domain, ours);
        report.BeginAt = failure.ArrivalDate;
        report.EndAt = failure.ArrivalDate;
        report.Volume = failure.Incidents ?? 1;
        var check = failure.AuthFailure?.AuthFailure ?? "authentication";
        var result = failure.AuthFailure?.DeliveryResult is { } delivery ? $", delivery result {delivery}" : "";
        report.Problem = Truncate($"{check} failed for mail from {failure.SourceIp ?? "an unknown IP"}{result}."
            + (failure.Problems.Count > 0 ? " " + string.Join("; ", failure.Problems) + "." : ""), 2000);
        var where = report.IsOurs ? "" : $" {domain ?? "Its domain"} is not one of Parley's sending domains: kept and flagged.";
        return $"DMARC failure report from {report.OrgName} for {domain ?? "an unnamed domain"}: {report.Problem}{where}";
    }

    private static string? FromDomain(FeedbackReport failure) =>
        failure.OriginalHeaders?[MimeKit.HeaderId.From] is { } from && MimeKit.InternetAddressList.TryParse(from, out var list)
            && list.Mailboxes.FirstOrDefault()?.Domain is { Length: > 0 } d ? d : null;

    /// <summary>A domain is ours when it is one of the sending domains, or a parent or subdomain of one (the policy of example.com covers mail.example.com).</summary>
    internal static bool IsOurs(string domain, IEnumerable<string> ours) =>
        ours.Any(o => o.Equals(domain, StringComparison.OrdinalIgnoreCase) || o.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith("." + o, StringComparison.OrdinalIgnoreCase));

    private sealed record Added(ReportImport Import, ReceivedReport? Entity);
}
