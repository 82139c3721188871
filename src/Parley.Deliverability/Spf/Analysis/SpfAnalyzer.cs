using System.Globalization;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Spf.Analysis;

/// <summary>
/// The doctor's SPF check of one domain: is there exactly one valid record, what does it cost to
/// evaluate, and does it authorize the routes Parley sends through. When it does not, the finding
/// carries the exact record to publish.
/// </summary>
public sealed class SpfAnalyzer
{
    /// <summary>RFC 7208 3.4: records above ~450 octets risk not fitting a 512-octet UDP answer.</summary>
    public const int RecommendedMaxLength = 450;

    private readonly IDnsResolver _dns;
    private readonly SpfEvaluator _evaluator;

    public SpfAnalyzer(IDnsResolver dns, SpfEvaluator? evaluator = null)
    {
        _dns = dns;
        _evaluator = evaluator ?? new SpfEvaluator(dns);
    }

    public async Task<SpfAnalysis> AnalyzeAsync(string domain, IReadOnlyList<SpfRoute>? routes, CancellationToken cancellationToken)
    {
        routes ??= [];
        var findings = new List<Finding>();
        if (!DnsName.TryNormalize(domain, out var name) || !name.Contains('.'))
        {
            findings.Add(new Finding("spf.invalid-domain", FindingSeverity.Fail, "Not a domain name", $"'{domain}' is not a fully qualified domain name."));
            return new SpfAnalysis { Domain = domain, Findings = findings };
        }

        var lookup = await SpfRecordLookup.FindAsync(_dns, name, cancellationToken).ConfigureAwait(false);
        var records = lookup.SpfRecords.Select(r => r.Text).ToArray();
        var routeTerms = routes.Select(r => r.Term).ToArray();
        switch (lookup.Status)
        {
            case SpfRecordStatus.TempError:
                findings.Add(new Finding("spf.dns-error", FindingSeverity.Warn, "The SPF record could not be read", $"{lookup.Problem}. Receivers seeing this give temperror and may defer mail."));
                return new SpfAnalysis { Domain = name, Findings = findings };

            case SpfRecordStatus.None:
                {
                    var proposed = routes.Count > 0 ? SpfRecordEditor.AddTerms([], routeTerms) : null;
                    findings.Add(new Finding("spf.missing", FindingSeverity.Fail, "No SPF record",
                        $"{name} publishes no TXT record starting with \"v=spf1\", so receivers cannot tell which servers may send for it." +
                        (proposed is null ? string.Empty : " Publish the record below."),
                        proposed is null ? null : new DnsFix("TXT", name, proposed)));
                    return new SpfAnalysis
                    {
                        Domain = name,
                        Findings = findings,
                        ProposedRecord = proposed,
                        Routes = routes.Select(r => new SpfRouteCheck(r, false, proposed, "no SPF record")).ToArray(),
                    };
                }

            case SpfRecordStatus.Multiple:
                {
                    var merged = SpfRecordEditor.AddTerms(records, routeTerms);
                    findings.Add(new Finding("spf.multiple-records", FindingSeverity.Fail, "Several SPF records",
                        $"{name} publishes {records.Length} records starting with \"v=spf1\"; receivers must treat that as permerror. Replace them with the single record below.",
                        new DnsFix("TXT", name, merged)));
                    return new SpfAnalysis
                    {
                        Domain = name,
                        Records = records,
                        Findings = findings,
                        ProposedRecord = merged,
                        Routes = routes.Select(r => new SpfRouteCheck(r, false, merged, "several SPF records (permerror)")).ToArray(),
                    };
                }
        }

        var published = lookup.SpfRecords[0];
        var text = published.Text;
        CheckLength(name, published, findings);

        var parsed = SpfRecordLookup.ParseCached(text);
        if (parsed.Record is not { } record)
        {
            findings.Add(SyntaxFinding(name, published, parsed.Error!));
            return new SpfAnalysis { Domain = name, Records = records, RecordStrings = published.Strings, Findings = findings };
        }

        var walker = new SpfTreeWalker(_dns, cancellationToken);
        await walker.WalkAsync(name, record).ConfigureAwait(false);
        findings.AddRange(walker.Findings);
        AddLimitFindings(name, walker, findings);
        if (!record.Mechanisms.Any(m => m.Kind == SpfMechanismKind.All) && record.Redirect is null)
        {
            findings.Add(new Finding("spf.no-all", FindingSeverity.Info, "SPF has no 'all' at the end",
                "Servers not listed get the default result, neutral. End the record with '~all' or '-all'."));
        }

        var checks = new List<SpfRouteCheck>();
        foreach (var route in routes)
        {
            checks.Add(await CheckRouteAsync(name, record, walker, route, cancellationToken).ConfigureAwait(false));
        }

        string? proposal = null;
        var missing = checks.Where(c => !c.Authorized).ToArray();
        if (missing.Length > 0)
        {
            proposal = SpfRecordEditor.AddTerms([text], missing.Select(c => c.Route.Term));
            var projected = walker.Lookups + await ExtraLookupsAsync(missing.Select(c => c.Route), cancellationToken).ConfigureAwait(false);
            var detail = $"The record of {name} does not authorize {string.Join(", ", missing.Select(m => $"{m.Route.Term} ({m.Reason})"))}. Mail Parley sends that way fails SPF. Publish the record below in place of the current one.";
            if (projected > 10)
            {
                detail += $" Note: the new record would need {projected} DNS lookups (limit 10); replace some include: or a/mx terms by ip4:/ip6: ranges.";
            }

            if (proposal.Length > SpfRecordEditor.MaxStringLength)
            {
                detail += $" It is longer than 255 characters: publish it as several strings, {SpfRecordEditor.ToZoneText(proposal)}.";
            }

            findings.Add(new Finding("spf.not-authorized", FindingSeverity.Fail, "SPF does not authorize Parley's sending route", detail, new DnsFix("TXT", name, proposal)));
            checks = checks.Select(c => c.Authorized ? c : c with { ProposedRecord = proposal }).ToList();
        }
        else if (checks.Count > 0)
        {
            findings.Add(new Finding("spf.authorized", FindingSeverity.Pass, "SPF authorizes Parley's sending route",
                $"{string.Join(", ", checks.Select(c => c.Route.Term))} {(checks.Count == 1 ? "is" : "are")} allowed by the record of {name}."));
        }

        findings.LeadWithPassWhenClean(new Finding("spf.valid", FindingSeverity.Pass, "SPF record is valid",
            $"{name}: \"{text}\" ({walker.Lookups} of 10 DNS lookups)."));

        return new SpfAnalysis
        {
            Domain = name,
            Records = records,
            RecordStrings = published.Strings,
            DnsLookups = walker.Lookups,
            VoidLookups = walker.Voids,
            Findings = findings,
            Routes = checks,
            ProposedRecord = proposal,
        };
    }

    /// <summary>Whether the published record authorizes <paramref name="route"/>; when it does not, the record that would.</summary>
    public async Task<SpfRouteCheck> AuthorizesRouteAsync(string domain, SpfRoute route, CancellationToken cancellationToken)
    {
        var analysis = await AnalyzeAsync(domain, [route], cancellationToken).ConfigureAwait(false);
        return analysis.Routes.Count > 0
            ? analysis.Routes[0]
            : new SpfRouteCheck(route, false, null, string.Join("; ", analysis.Findings.Select(f => f.Title)));
    }

    private async Task<SpfRouteCheck> CheckRouteAsync(string domain, SpfRecord record, SpfTreeWalker walker, SpfRoute route, CancellationToken cancellationToken)
    {
        if (route.Ip is { } ip)
        {
            var result = await _evaluator.CheckHostAsync(ip, domain, "postmaster@" + domain, domain, cancellationToken).ConfigureAwait(false);
            return result.Verdict == SpfVerdict.Pass
                ? new SpfRouteCheck(route, true, null, $"pass via '{result.Mechanism}'")
                : new SpfRouteCheck(route, false, null, $"{result.Verdict.ToToken()}{(result.Mechanism is null ? string.Empty : $" via '{result.Mechanism}'")}");
        }

        var include = route.IncludeDomain!;
        if (walker.Includes.TryGetValue(include, out var passes) && passes)
        {
            return new SpfRouteCheck(route, true, null, $"included by the record of {domain}");
        }

        return new SpfRouteCheck(route, false, null, passes ? "not included" : $"included with a qualifier that never gives pass in the record of {domain}");
    }

    /// <summary>What adding the routes would cost: one lookup per include, plus that record's own tree.</summary>
    private async Task<int> ExtraLookupsAsync(IEnumerable<SpfRoute> routes, CancellationToken cancellationToken)
    {
        int extra = 0;
        foreach (var route in routes)
        {
            if (route.IncludeDomain is not { } include)
            {
                continue;
            }

            extra++;
            var lookup = await SpfRecordLookup.FindAsync(_dns, include, cancellationToken).ConfigureAwait(false);
            if (lookup.Text is { } text && SpfRecordLookup.ParseCached(text).Record is { } record)
            {
                var walker = new SpfTreeWalker(_dns, cancellationToken);
                await walker.WalkAsync(include, record).ConfigureAwait(false);
                extra += walker.Lookups;
            }
        }

        return extra;
    }

    private static void CheckLength(string domain, DnsTxtRecord published, List<Finding> findings)
    {
        if (published.Text.Length > RecommendedMaxLength)
        {
            findings.Add(new Finding("spf.too-long", FindingSeverity.Warn, "SPF record is long",
                $"The record of {domain} is {published.Text.Length} characters; above {RecommendedMaxLength} the DNS answer may not fit in UDP and some receivers fail to fetch it. Replace a/mx/ptr terms by ip4:/ip6: ranges or drop unused includes."));
        }

        foreach (var s in published.Strings)
        {
            if (s.Length > SpfRecordEditor.MaxStringLength)
            {
                findings.Add(new Finding("spf.string-too-long", FindingSeverity.Fail, "A TXT string is longer than 255 characters",
                    $"One string of the record of {domain} has {s.Length} characters; DNS allows 255 per string. Publish it as {SpfRecordEditor.ToZoneText(published.Text)}.",
                    new DnsFix("TXT", domain, published.Text)));
                break;
            }
        }
    }

    private static Finding SyntaxFinding(string domain, DnsTxtRecord published, SpfSyntaxError error)
    {
        var detail = $"The record of {domain} is invalid at position {error.Position.ToString(CultureInfo.InvariantCulture)}: {error.Message}. Receivers treat the whole record as permerror.";
        if (published.Strings.Count > 1 && error.Term is { } term)
        {
            // Strings are joined without a space: "ip4:192.0.2.1" "include:x" becomes "ip4:192.0.2.1include:x".
            int boundary = 0;
            foreach (var s in published.Strings.Take(published.Strings.Count - 1))
            {
                boundary += s.Length;
                if (boundary > error.Position && boundary < error.Position + term.Length)
                {
                    detail += $" The record is published as {published.Strings.Count} strings, which are joined with no space: '{term}' spans the cut at position {boundary}. End each string with a space.";
                    break;
                }
            }
        }

        var snippet = published.Text.Length > 0 ? $" \"{published.Text}\"" : string.Empty;
        return new Finding("spf.syntax", FindingSeverity.Fail, "SPF record has a syntax error", detail + snippet);
    }

    private static void AddLimitFindings(string domain, SpfTreeWalker walker, List<Finding> findings)
    {
        if (walker.Lookups > 10)
        {
            findings.Add(new Finding("spf.too-many-lookups", FindingSeverity.Fail, "SPF needs more than 10 DNS lookups",
                $"Evaluating the record of {domain} can take {walker.Lookups} lookups (include, a, mx, ptr, exists, redirect, counted through every include); above 10 receivers give permerror. Replace includes or a/mx terms by ip4:/ip6: ranges."));
        }
        else if (walker.Lookups >= 8)
        {
            findings.Add(new Finding("spf.lookups-near-limit", FindingSeverity.Info, "SPF is close to the 10-lookup limit",
                $"The record of {domain} needs {walker.Lookups} of 10 DNS lookups; one more include may break it."));
        }

        if (walker.UsesMacros)
        {
            findings.Add(new Finding("spf.macros", FindingSeverity.Info, "SPF uses macros",
                "Terms with %{…} macros depend on the sender and were not followed; the lookup count covers the rest."));
        }

        if (walker.Voids > 0)
        {
            findings.Add(new Finding("spf.void-lookups", walker.Voids > 2 ? FindingSeverity.Fail : FindingSeverity.Warn,
                walker.Voids > 2 ? "SPF has more than 2 void lookups" : "SPF points at names that do not exist",
                $"{string.Join("; ", walker.VoidTargets)}. {(walker.Voids > 2 ? "Above 2 receivers give permerror." : "Each one counts toward the limit of 2 void lookups.")} Remove these terms."));
        }
    }
}
