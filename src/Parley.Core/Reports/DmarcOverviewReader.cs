using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;

namespace Parley.Core.Reports;

/// <summary>
/// Builds a sending domain's <see cref="DmarcOverview"/> from its stored report rows (only reports about the domain: a
/// report for a domain that is not ours never has rows under a sending domain's name). Rows are summed in SQL per
/// distinct outcome, then per source here; each source gets its verdict against Parley's own routes
/// (<see cref="OwnRoutes"/>) and, for the largest ones, its reverse DNS name.
/// </summary>
public sealed class DmarcOverviewReader(ParleyDbContext db, OwnRoutes ownRoutes, IDnsResolver dns)
{
    /// <summary>Sources whose PTR is looked up (the largest first); the rest are shown without one.</summary>
    private const int PtrLookups = 50;

    /// <summary>The period advice looks at (the last days of the range).</summary>
    public const int AdviceDays = 14;

    public async Task<DmarcOverview> ReadAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var rows = Rows<DmarcReportRow>(domain, start, end);

        var daily = (await rows.GroupBy(r => r.Day)
                .Select(g => new { Day = g.Key, Messages = g.Sum(r => r.Count), Compliant = g.Sum(r => r.DkimAligned || r.SpfAligned ? r.Count : 0) })
                .ToListAsync(cancellationToken))
            .OrderBy(d => d.Day)
            .Select(d => new DmarcDay(DateOnly.FromDateTime(d.Day.UtcDateTime), d.Messages, d.Compliant))
            .ToList();
        var reports = await rows.Select(r => r.ReceivedReportId).Distinct().CountAsync(cancellationToken);
        var matcher = await ownRoutes.ForDomainAsync(domain, cancellationToken);
        var sources = await SourcesAsync(rows, domain, matcher, lookUpPtr: true, cancellationToken);

        var messages = sources.Sum(s => s.Count);
        var compliant = sources.Sum(s => s.Compliant);
        var totals = new DmarcTotals(messages, compliant, messages == 0 ? 0 : Math.Round(100.0 * compliant / messages, 1), sources.Count, reports,
            Enum.GetValues<SourceVerdict>().ToDictionary(v => v, v => sources.Where(s => s.Verdict == v).Sum(s => s.Count)));

        var published = await new DmarcDiscovery(dns).FindPolicyAsync(domain, cancellationToken);
        // Advice looks at the last days of the range only: a source fixed last week should not hold the policy back.
        var recent = new DateTimeOffset(to.AddDays(-(AdviceDays - 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var adviceSources = recent <= start
            ? sources
            : await SourcesAsync(rows.Where(r => r.Day >= recent), domain, matcher, lookUpPtr: false, cancellationToken);
        var advice = DmarcAdvisor.Advise(domain, published.Domain, published.Record, adviceSources, AdviceDays);
        return new DmarcOverview(domain, from, to, published.Record?.Text, sources, totals, daily, advice, await TlsAsync(domain, start, end, cancellationToken));
    }

    private async Task<List<DmarcSource>> SourcesAsync(IQueryable<DmarcReportRow> rows, string domain, OwnRouteMatcher matcher, bool lookUpPtr, CancellationToken cancellationToken)
    {
        var groups = await rows
            .GroupBy(r => new { r.SourceIp, r.DkimAligned, r.SpfAligned, r.DkimResult, r.SpfResult, r.SpfDomain, r.Disposition, r.Reasons, r.Reporter, r.DkimSignatures })
            .Select(g => new OutcomeGroup(g.Key.SourceIp, g.Key.DkimAligned, g.Key.SpfAligned, g.Key.DkimResult, g.Key.SpfResult, g.Key.SpfDomain, g.Key.Disposition,
                g.Key.Reasons, g.Key.Reporter, g.Key.DkimSignatures, g.Sum(r => r.Count)))
            .ToListAsync(cancellationToken);
        var sources = new List<DmarcSource>();
        var bySize = groups.GroupBy(g => g.SourceIp).OrderByDescending(g => g.Sum(x => x.Count)).ToList();
        var ptrs = lookUpPtr ? await PtrsAsync(bySize.Take(PtrLookups).Select(g => g.Key), cancellationToken) : [];
        foreach (var source in bySize)
        {
            var figures = source.Select(g => Figures(g, domain)).Aggregate((a, b) => a + b);
            var route = IPAddress.TryParse(source.Key, out var ip) ? await matcher.MatchAsync(ip, cancellationToken) : null;
            var (verdict, why) = DmarcSourceClassifier.Classify(figures, route);
            sources.Add(new DmarcSource(
                source.Key, ptrs.GetValueOrDefault(source.Key), figures.Count, figures.Compliant,
                Majority(source, g => g.SpfResult), source.Where(g => g.SpfAligned).Sum(g => g.Count) * 2 >= figures.Count,
                Majority(source, g => g.DkimResult), source.Where(g => g.DkimAligned).Sum(g => g.Count) * 2 >= figures.Count,
                source.SelectMany(g => Selectors(g.DkimSignatures)).Distinct().Order().ToList(),
                Majority(source, g => g.Disposition), verdict, why,
                source.Select(g => g.Reporter).Distinct().Order().ToList()));
        }

        return sources;
    }

    /// <summary>The domain's rows of one kind from <paramref name="start"/> to <paramref name="end"/> (days, inclusive).</summary>
    private IQueryable<TRow> Rows<TRow>(string domain, DateTimeOffset start, DateTimeOffset end) where TRow : ReportRow =>
        db.Set<TRow>().AsNoTracking().Where(r => r.Domain == domain && r.Day >= start && r.Day <= end);

    private async Task<TlsOverview> TlsAsync(string domain, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var policies = Rows<TlsReportPolicyRow>(domain, start, end);
        var successful = await policies.SumAsync(r => r.Successful, cancellationToken);
        var failed = await policies.SumAsync(r => r.Failed, cancellationToken);
        var reports = await policies.Select(r => r.ReceivedReportId).Distinct().CountAsync(cancellationToken);
        var failures = (await Rows<TlsReportFailureRow>(domain, start, end)
                .GroupBy(r => new { r.ReceivingMx, r.ResultType })
                .Select(g => new { g.Key.ReceivingMx, g.Key.ResultType, Sessions = g.Sum(r => r.Count) })
                .ToListAsync(cancellationToken))
            .OrderByDescending(f => f.Sessions)
            .Select(f => new TlsFailureSummary(f.ReceivingMx ?? "(not named)", f.ResultType, f.Sessions))
            .ToList();
        return new TlsOverview(successful, failed, reports, failures);
    }

    private async Task<Dictionary<string, string>> PtrsAsync(IEnumerable<string> ips, CancellationToken cancellationToken)
    {
        var lookups = ips.Select(async text =>
        {
            if (!IPAddress.TryParse(text, out var ip))
            {
                return (text, (string?)null);
            }

            var answer = await dns.QueryPtrAsync(ip, cancellationToken);
            return (text, answer.RecordsOf<DnsPtrRecord>().Select(p => p.Target).FirstOrDefault());
        });
        return (await Task.WhenAll(lookups)).Where(p => p.Item2 is not null).ToDictionary(p => p.text, p => p.Item2!);
    }

    private static SourceFigures Figures(OutcomeGroup g, string domain)
    {
        var aligned = g.DkimAligned || g.SpfAligned;
        var ownSpfDomain = g.SpfDomain is { } d && (d == domain || d.EndsWith("." + domain, StringComparison.Ordinal));
        var pattern = g.DkimAligned && !g.SpfAligned && ownSpfDomain && g.SpfResult is "fail" or "softfail";
        var unaligned = !aligned && (g.DkimResult == "pass" || g.SpfResult == "pass");
        return new SourceFigures(g.Count, aligned ? g.Count : 0, DmarcSourceClassifier.IsForwardedByReason(g.Reasons) ? g.Count : 0,
            pattern ? g.Count : 0, unaligned ? g.Count : 0);
    }

    private static string Majority(IEnumerable<OutcomeGroup> groups, Func<OutcomeGroup, string> value) =>
        groups.GroupBy(value).OrderByDescending(g => g.Sum(x => x.Count)).First().Key;

    /// <summary>"domain/selector" of each signature in "domain selector result, …".</summary>
    private static IEnumerable<string> Selectors(string? signatures) =>
        signatures is null ? [] : signatures.Split(", ").Select(s => s.Split(' ')).Where(p => p.Length >= 2 && p[1] != "-").Select(p => $"{p[0]}/{p[1]}");

    private sealed record OutcomeGroup(string SourceIp, bool DkimAligned, bool SpfAligned, string DkimResult, string SpfResult, string? SpfDomain, string Disposition,
        string? Reasons, string Reporter, string? DkimSignatures, long Count);
}
