using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Spf.Analysis;

/// <summary>
/// Walks a record and everything it includes or redirects to, counting what evaluation could cost in
/// the worst case (every lookup term reached), finding void targets, loops, broken includes, ptr and
/// over-permissive "all". Terms whose target uses macros cannot be followed statically.
/// </summary>
internal sealed class SpfTreeWalker(IDnsResolver dns, CancellationToken cancellationToken)
{
    private const int MaxDepth = 12;
    private readonly HashSet<string> _ptrReported = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups { get; private set; }

    public int Voids { get; private set; }

    public List<string> VoidTargets { get; } = [];

    public List<Finding> Findings { get; } = [];

    /// <summary>Include targets reached, with whether they can produce "pass" for the checked domain.</summary>
    public Dictionary<string, bool> Includes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool UsesMacros { get; private set; }

    public Task WalkAsync(string domain, SpfRecord record) => WalkAsync(domain, record, [domain], topLevel: true);

    private async Task WalkAsync(string domain, SpfRecord record, List<string> path, bool topLevel)
    {
        foreach (var term in record.Terms)
        {
            switch (term)
            {
                case SpfMechanism { Kind: SpfMechanismKind.All, Qualifier: SpfQualifier.Pass } all:
                    Findings.Add(new Finding("spf.permissive-all", FindingSeverity.Fail, "SPF allows every server on the internet",
                        $"'{all.Text}' in the record of {domain} makes any sender pass{(topLevel ? string.Empty : " through the include")}. Use '~all' or '-all'."));
                    break;
                case SpfMechanism { Kind: SpfMechanismKind.All, Qualifier: SpfQualifier.Neutral } neutral when topLevel:
                    Findings.Add(new Finding("spf.permissive-all", FindingSeverity.Warn, "SPF ends in a neutral '?all'",
                        $"'{neutral.Text}' tells receivers nothing about mail from other servers; '~all' (or '-all' once every sender is listed) protects the domain."));
                    break;
                case SpfMechanism m when m.CausesLookup:
                    Lookups++;
                    await VisitLookupAsync(domain, m, path).ConfigureAwait(false);
                    break;
                case SpfModifier { Name: "redirect" } redirect:
                    Lookups++;
                    await FollowAsync(domain, redirect.Text, redirect.Value, path, isInclude: false).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task VisitLookupAsync(string domain, SpfMechanism mechanism, List<string> path)
    {
        if (mechanism.Kind == SpfMechanismKind.Ptr && _ptrReported.Add(domain))
        {
            Findings.Add(new Finding("spf.ptr", FindingSeverity.Warn, "SPF uses the 'ptr' mechanism",
                $"'{mechanism.Text}' in the record of {domain}: RFC 7208 says not to use ptr; it is slow, unreliable, and some receivers ignore it. List the addresses with ip4:/ip6: instead."));
        }

        if (mechanism.DomainSpec is { } spec && spec.Contains('%'))
        {
            UsesMacros = true;
            return;
        }

        var target = mechanism.DomainSpec?.TrimEnd('.') ?? domain;
        switch (mechanism.Kind)
        {
            case SpfMechanismKind.Include:
                await FollowAsync(domain, mechanism.Text, target, path, isInclude: true, mechanism.Qualifier).ConfigureAwait(false);
                break;
            case SpfMechanismKind.A:
                {
                    var a = await SafeDns.QueryAsync(dns, target, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
                    var aaaa = await SafeDns.QueryAsync(dns, target, DnsRecordType.Aaaa, cancellationToken).ConfigureAwait(false);
                    if (a.IsVoid && aaaa.IsVoid)
                    {
                        AddVoid($"{mechanism.Text} ({target} has no A/AAAA records) in {domain}");
                    }

                    break;
                }

            case SpfMechanismKind.Mx:
                {
                    var mx = await SafeDns.QueryAsync(dns, target, DnsRecordType.Mx, cancellationToken).ConfigureAwait(false);
                    if (mx.IsVoid)
                    {
                        AddVoid($"{mechanism.Text} ({target} has no MX records) in {domain}");
                    }
                    else if (mx.Records.Count > 10)
                    {
                        Findings.Add(new Finding("spf.too-many-mx", FindingSeverity.Fail, "An 'mx' mechanism has more than 10 MX records",
                            $"'{mechanism.Text}' in {domain}: {target} has {mx.Records.Count} MX records; evaluation gives permerror. List the addresses with ip4:/ip6:."));
                    }

                    break;
                }
        }
    }

    private async Task FollowAsync(string domain, string termText, string target, List<string> path, bool isInclude, SpfQualifier qualifier = SpfQualifier.Pass)
    {
        if (target.Contains('%'))
        {
            UsesMacros = true;
            return;
        }

        target = target.TrimEnd('.').ToLowerInvariant();
        if (isInclude)
        {
            Includes[target] = Includes.GetValueOrDefault(target) || qualifier == SpfQualifier.Pass;
        }

        if (path.Contains(target, StringComparer.OrdinalIgnoreCase) || path.Count > MaxDepth)
        {
            Findings.Add(new Finding("spf.loop", FindingSeverity.Fail, "SPF include/redirect loop",
                $"'{termText}' in {domain} leads back to {target} ({string.Join(" → ", path.Append(target))}); evaluation gives permerror."));
            return;
        }

        var lookup = await SpfRecordLookup.FindAsync(dns, target, cancellationToken).ConfigureAwait(false);
        string? broken = lookup.Status switch
        {
            SpfRecordStatus.None => $"{target} has no SPF record",
            SpfRecordStatus.Multiple => $"{target} publishes several SPF records",
            SpfRecordStatus.TempError => null,
            _ => null,
        };
        if (lookup.Status == SpfRecordStatus.TempError)
        {
            Findings.Add(new Finding("spf.dns-error", FindingSeverity.Warn, "An included SPF record could not be read",
                $"'{termText}' in {domain}: {lookup.Problem}. Receivers seeing this give temperror."));
            return;
        }

        SpfRecord? record = null;
        if (broken is null)
        {
            var parsed = SpfRecordLookup.ParseCached(lookup.Text!);
            record = parsed.Record;
            if (record is null)
            {
                broken = $"the SPF record of {target} is invalid: {parsed.Error!.Message}";
            }
        }

        if (broken is not null || record is null)
        {
            Findings.Add(new Finding("spf.include-broken", FindingSeverity.Fail, $"SPF {(isInclude ? "include" : "redirect")} target is broken",
                $"'{termText}' in {domain}: {broken}; every evaluation that reaches it gives permerror."));
            return;
        }

        path.Add(target);
        await WalkAsync(target, record, path, topLevel: !isInclude && path.Count == 2).ConfigureAwait(false);
        path.RemoveAt(path.Count - 1);
    }

    private void AddVoid(string what)
    {
        Voids++;
        VoidTargets.Add(what);
    }
}
