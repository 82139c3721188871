using System.Diagnostics;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf.Analysis;

namespace Parley.Deliverability.Doctor;

/// <summary>
/// Checks a domain's DNS against Parley's own sending setup: SPF of the bounce domain for Parley's
/// route, DKIM selectors and keys, DMARC and whether Parley's mail aligns, MX of the alias domain,
/// the host name Parley says EHLO with, reverse DNS and block lists of the sending IP, MTA-STS, TLS-RPT, BIMI, DNSSEC. Independent checks
/// run in parallel over one shared in-flight query table (on top of the resolver's TTL cache). A check
/// that breaks becomes a finding; the report never throws except for the caller's cancellation.
/// </summary>
public sealed class DomainDoctor
{
    private readonly IDnsResolver _dns;
    private readonly TimeProvider _time;
    private readonly DoctorOptions _options;
    private readonly IMtaStsPolicyFetcher? _mtaSts;

    public DomainDoctor(IDnsResolver dns, TimeProvider? time = null, DoctorOptions? options = null, IMtaStsPolicyFetcher? mtaStsFetcher = null)
    {
        _dns = dns;
        _time = time ?? TimeProvider.System;
        _options = options ?? new DoctorOptions();
        _mtaSts = mtaStsFetcher;
    }

    public async Task<DoctorReport> CheckAsync(SendingSetup setup, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var checkedAt = _time.GetUtcNow();
        if (!DnsName.TryNormalize(setup.Domain, out var domain) || !domain.Contains('.'))
        {
            return new DoctorReport(setup.Domain, checkedAt, [new Finding("doctor.invalid-domain", FindingSeverity.Fail, "Not a domain name", $"'{setup.Domain}' is not a fully qualified domain name.")]);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var withinTimeout = timeout.Token;
        var dns = new InFlightDnsResolver(_dns);
        if (await UnansweredAsync(dns, domain, withinTimeout, cancellationToken).ConfigureAwait(false) is { } silence)
        {
            return new DoctorReport(domain, checkedAt, [silence]) { Elapsed = Stopwatch.GetElapsedTime(started) };
        }
        var bounce = DnsName.TryNormalize(setup.EffectiveBounceDomain, out var b) ? b : domain;

        var spfRoutes = setup.Routes.Select(r => r.Ip is { } ip ? SpfRoute.FromIp(ip) : SpfRoute.FromInclude(r.RelayInclude!)).ToArray();
        var spfAnalyzer = new SpfAnalyzer(dns);
        var spfTask = Guard("spf", () => spfAnalyzer.AnalyzeAsync(bounce, spfRoutes, withinTimeout), cancellationToken);
        var spfFromTask = bounce == domain ? null : Guard("spf", () => spfAnalyzer.AnalyzeAsync(domain, [], withinTimeout), cancellationToken);
        var dkimChecker = new DkimRecordChecker(dns);
        var dkimTasks = setup.DkimSelectors.Select(s => Guard("dkim", () => dkimChecker.CheckAsync(domain, s, withinTimeout), cancellationToken)).ToArray();
        var dmarcAnalyzer = new DmarcAnalyzer(dns);
        var dmarcTask = Guard("dmarc", () => dmarcAnalyzer.AnalyzeAsync(domain, setup.DmarcReportAddress, withinTimeout), cancellationToken);

        var others = new List<Task<Outcome<IReadOnlyList<Finding>>>>();
        if (setup.AliasDomain is { Length: > 0 } alias)
        {
            others.Add(Guard("mx", () => new MxCheck(dns).CheckAsync(alias, setup.ReceivingHosts, withinTimeout), cancellationToken));
        }

        if (setup.HostName is { Length: > 0 } hostName)
        {
            others.Add(Guard("host", () => new HostNameCheck(dns).CheckAsync(hostName, setup.HostAddress, withinTimeout), cancellationToken));
        }

        foreach (var route in setup.Routes.Where(r => r.IsDirect).DistinctBy(r => r.Ip))
        {
            others.Add(Guard("ptr", () => new PtrCheck(dns).CheckAsync(route.Ip!, route.EhloName, withinTimeout), cancellationToken));
            if (_options.DnsblZones.Count > 0)
            {
                others.Add(Guard("dnsbl", () => new DnsblCheck(dns).CheckAsync(route.Ip!, _options.DnsblZones, withinTimeout), cancellationToken));
            }
        }

        var presence = new RecordPresenceCheck(dns);
        others.Add(Guard("mta-sts", () => new MtaStsCheck(dns, _mtaSts).CheckAsync(domain, withinTimeout), cancellationToken));
        others.Add(Guard("tls-rpt", async () => (IReadOnlyList<Finding>)[await presence.CheckTlsRptAsync(domain, setup.TlsReportAddress, withinTimeout).ConfigureAwait(false)], cancellationToken));
        others.Add(Guard("bimi", async () => (IReadOnlyList<Finding>)[await presence.CheckBimiAsync(domain, withinTimeout).ConfigureAwait(false)], cancellationToken));
        others.Add(Guard("dnssec", async () => (IReadOnlyList<Finding>)[RecordPresenceCheck.DnssecFrom(domain, await dns.QueryAsync(domain, DnsRecordType.Txt, withinTimeout).ConfigureAwait(false))], cancellationToken));

        var findings = new List<Finding>();
        var spf = await spfTask.ConfigureAwait(false);
        findings.AddRange(spf.Findings(s => s.Findings));
        if (spfFromTask is not null)
        {
            // Parley's mail is checked against the bounce domain's SPF, and passes DMARC through
            // DKIM alignment; a From domain without SPF is a warning about spoofing, not a failure
            // of this setup — and only its owner knows which other servers send for it.
            findings.AddRange((await spfFromTask.ConfigureAwait(false)).Findings(s => s.Findings).Select(f => f.Id == "spf.missing"
                ? f with
                {
                    Id = "spf.from-domain-missing",
                    Severity = FindingSeverity.Warn,
                    Title = "The From domain has no SPF record",
                    Detail = $"{domain} publishes no SPF record. Parley's own mail does not need one (its envelope domain is {bounce}, and DKIM aligns for DMARC), " +
                        $"but without one anybody can use {domain} in envelopes. If {domain} sends no mail of its own, publish \"v=spf1 -all\"; otherwise list the servers that do.",
                    Fix = null,
                }
                : f));
        }

        var dkim = await Task.WhenAll(dkimTasks).ConfigureAwait(false);
        findings.AddRange(dkim.SelectMany(d => d.Findings(c => c.Findings)));
        var dmarc = await dmarcTask.ConfigureAwait(false);
        findings.AddRange(dmarc.Findings(a => a.Findings));
        if (dmarc.Value is { } analysis)
        {
            var identity = new DmarcRouteIdentity(
                bounce,
                spf.Value is { } s && s.Routes.Count > 0 && s.Routes.All(r => r.Authorized),
                dkim.Where(d => d.Value is not null).Select(d => new DmarcDkimIdentity(d.Value!.Domain, d.Value.Selector, d.Value.KeyValid)).ToArray());
            var alignment = await Guard("dmarc", async () => await dmarcAnalyzer.CheckAlignmentAsync(domain, analysis, identity, withinTimeout).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            findings.AddRange(alignment.Findings(f => [f]));
        }

        foreach (var other in await Task.WhenAll(others).ConfigureAwait(false))
        {
            findings.AddRange(other.Findings(f => f));
        }

        var ordered = findings.Select((f, i) => (f, i)).OrderBy(p => FindingAreas.Rank(p.f.AreaOf())).ThenBy(p => p.i).Select(p => p.f).ToArray();
        return new DoctorReport(domain, checkedAt, ordered) { Elapsed = Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>
    /// The domain's own TXT first (SPF and the DNSSEC check ask it anyway, and share the answer): when the DNS server
    /// does not answer that, every check would only report the silence as findings about the domain ("No BIMI record",
    /// "will fail DMARC"). That is one temperror about the resolver instead.
    /// </summary>
    private static async Task<Finding?> UnansweredAsync(IDnsResolver dns, string domain, CancellationToken withinTimeout, CancellationToken cancellationToken)
    {
        string? why;
        try
        {
            var answer = await dns.QueryAsync(domain, DnsRecordType.Txt, withinTimeout).ConfigureAwait(false);
            if (answer.Status is not (DnsStatus.Timeout or DnsStatus.Error))
            {
                return null;
            }

            why = answer.Error;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            why = null;
        }

        why = string.IsNullOrWhiteSpace(why) ? "The DNS server did not answer in time" : char.ToUpperInvariant(why[0]) + why[1..].TrimEnd('.');
        return new Finding(DoctorReport.TemporaryFailureId, FindingSeverity.Warn, "The DNS server did not answer",
            $"{why}, so nothing about {domain} was checked. Run the doctor again later, or give another server with --dns.");
    }

    /// <summary>A check that throws or times out becomes a finding in its area; the caller's cancellation still propagates.</summary>
    private static async Task<Outcome<T>> Guard<T>(string area, Func<Task<T>> check, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return new Outcome<T>(await check().ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome<T>(null, new Finding(area + ".timeout", FindingSeverity.Warn, $"The {area} check timed out", "DNS did not answer in time; run the doctor again."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Outcome<T>(null, new Finding(area + ".error", FindingSeverity.Warn, $"The {area} check failed", $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private sealed record Outcome<T>(T? Value, Finding? Error) where T : class
    {
        public IEnumerable<Finding> Findings(Func<T, IEnumerable<Finding>> select) =>
            Value is not null ? select(Value) : Error is not null ? [Error] : [];
    }
}
