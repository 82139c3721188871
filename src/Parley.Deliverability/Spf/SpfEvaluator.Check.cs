using System.Net.Sockets;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Spf;

/// <summary>The recursive check_host() walk (RFC 7208 §4–§7) behind <see cref="SpfEvaluator"/>.</summary>
public sealed partial class SpfEvaluator
{
    /// <summary>State of one top-level evaluation: counters are shared across include/redirect levels.</summary>
    private sealed class Check(SpfEvaluator owner, MacroContext context, CancellationToken cancellationToken)
    {
        private List<string>? _validatedPtrNames;
        private string? _problem;

        public int Lookups { get; private set; }

        public int Voids { get; private set; }

        public async Task<Outcome> CheckHostAsync(string domain, bool explain)
        {
            var lookup = await SpfRecordLookup.FindAsync(owner._dns, domain, cancellationToken).ConfigureAwait(false);
            switch (lookup.Status)
            {
                case SpfRecordStatus.TempError:
                    return new Outcome(SpfVerdict.TempError, null, domain, lookup.Problem, null);
                case SpfRecordStatus.None:
                    return new Outcome(SpfVerdict.None, null, domain, $"{domain} has no SPF record.", null);
                case SpfRecordStatus.Multiple:
                    return new Outcome(SpfVerdict.PermError, null, domain, lookup.Problem, null);
            }

            var parsed = SpfRecordLookup.ParseCached(lookup.Text!);
            if (parsed.Record is not { } record)
            {
                return new Outcome(SpfVerdict.PermError, parsed.Error!.Term, domain, $"SPF record of {domain}: {parsed.Error.Message}", null);
            }

            var previousDomain = context.Domain;
            context.Domain = domain;
            try
            {
                return await EvaluateAsync(record, domain, explain).ConfigureAwait(false);
            }
            finally
            {
                context.Domain = previousDomain;
            }
        }

        private async Task<Outcome> EvaluateAsync(SpfRecord record, string domain, bool explain)
        {
            foreach (var mechanism in record.Mechanisms)
            {
                var match = await MatchAsync(mechanism, domain).ConfigureAwait(false);
                switch (match)
                {
                    case Match.No:
                        continue;
                    case Match.TempError:
                        return new Outcome(SpfVerdict.TempError, mechanism.Text, domain, _problem, null);
                    case Match.PermError:
                        return new Outcome(SpfVerdict.PermError, mechanism.Text, domain, _problem, null);
                }

                var verdict = mechanism.Qualifier switch
                {
                    SpfQualifier.Fail => SpfVerdict.Fail,
                    SpfQualifier.SoftFail => SpfVerdict.SoftFail,
                    SpfQualifier.Neutral => SpfVerdict.Neutral,
                    _ => SpfVerdict.Pass,
                };
                string? explanation = null;
                if (verdict == SpfVerdict.Fail && explain && record.Explanation is { } exp)
                {
                    explanation = await ExplainAsync(exp).ConfigureAwait(false);
                }

                return new Outcome(verdict, mechanism.Text, domain, null, explanation);
            }

            if (record.Redirect is { } redirect)
            {
                if (!CountLookup())
                {
                    return new Outcome(SpfVerdict.PermError, redirect.Text, domain, _problem, null);
                }

                var target = await ExpandDomainAsync(redirect.Macro!).ConfigureAwait(false);
                if (target is null)
                {
                    return new Outcome(SpfVerdict.PermError, redirect.Text, domain, $"redirect= target of {domain} is not a valid domain name.", null);
                }

                // The target's own exp= applies, not ours (RFC 7208 6.2).
                var result = await CheckHostAsync(target, explain).ConfigureAwait(false);
                return result.Verdict == SpfVerdict.None
                    ? result with { Verdict = SpfVerdict.PermError, Mechanism = redirect.Text, Problem = $"redirect= target {target} has no SPF record." }
                    : result;
            }

            return new Outcome(SpfVerdict.Neutral, null, domain, null, null);
        }

        private async Task<Match> MatchAsync(SpfMechanism mechanism, string domain)
        {
            var ip = context.Ip;
            switch (mechanism.Kind)
            {
                case SpfMechanismKind.All:
                    return Match.Yes;

                case SpfMechanismKind.Ip4:
                case SpfMechanismKind.Ip6:
                    {
                        var network = mechanism.Network!;
                        int prefix = (mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Cidr4 : mechanism.Cidr6) ?? IpPrefix.FullLength(network.AddressFamily);
                        return IpPrefix.Matches(ip, network, prefix) ? Match.Yes : Match.No;
                    }

                case SpfMechanismKind.A:
                    {
                        var (decided, answer, _) = await LookUpTargetAsync(mechanism, domain, AddressType, "lookup").ConfigureAwait(false);
                        return decided ?? (AnyAddressMatches(answer!, mechanism) ? Match.Yes : Match.No);
                    }

                case SpfMechanismKind.Mx:
                    return await MatchMxAsync(mechanism, domain).ConfigureAwait(false);

                case SpfMechanismKind.Ptr:
                    {
                        if (!CountLookup())
                        {
                            return Match.PermError;
                        }

                        var target = mechanism.Domain is null ? domain : await ExpandDomainAsync(mechanism.Domain).ConfigureAwait(false);
                        if (target is null)
                        {
                            return Match.No;
                        }

                        var names = await ValidatedNamesAsync(mechanism).ConfigureAwait(false);
                        if (names is null)
                        {
                            return Match.PermError;
                        }

                        foreach (var name in names)
                        {
                            if (DnsName.IsSameOrSubdomain(name, target))
                            {
                                return Match.Yes;
                            }
                        }

                        return Match.No;
                    }

                case SpfMechanismKind.Exists:
                    {
                        // Always an A query, whatever the client's address family (RFC 7208 5.7).
                        var (decided, answer, _) = await LookUpTargetAsync(mechanism, domain, DnsRecordType.A, "lookup").ConfigureAwait(false);
                        return decided ?? (answer!.IsFound ? Match.Yes : Match.No);
                    }

                case SpfMechanismKind.Include:
                    {
                        if (!CountLookup())
                        {
                            return Match.PermError;
                        }

                        var target = await ExpandDomainAsync(mechanism.Domain!).ConfigureAwait(false);
                        if (target is null)
                        {
                            return PermError($"'{mechanism.Text}': the included name is not a valid domain name.");
                        }

                        var included = await CheckHostAsync(target, explain: false).ConfigureAwait(false);
                        switch (included.Verdict)
                        {
                            case SpfVerdict.Pass:
                                return Match.Yes;
                            case SpfVerdict.Fail or SpfVerdict.SoftFail or SpfVerdict.Neutral:
                                return Match.No;
                            case SpfVerdict.TempError:
                                _problem = included.Problem;
                                return Match.TempError;
                            case SpfVerdict.None:
                                return PermError($"'{mechanism.Text}': {target} has no SPF record.");
                            default:
                                _problem = included.Problem;
                                return Match.PermError;
                        }
                    }

                default:
                    return PermError($"'{mechanism.Text}': unsupported mechanism.");
            }
        }

        private async Task<Match> MatchMxAsync(SpfMechanism mechanism, string domain)
        {
            var (decided, mx, target) = await LookUpTargetAsync(mechanism, domain, DnsRecordType.Mx, "MX lookup").ConfigureAwait(false);
            if (decided is { } result)
            {
                return result;
            }

            if (mx!.Records.Count > owner._options.MaxMxNames)
            {
                return PermError($"'{mechanism.Text}': {target} has {mx.Records.Count} MX records; at most {owner._options.MaxMxNames} may be looked up.");
            }

            foreach (var record in mx.Records)
            {
                if (record is not DnsMxRecord { Exchange: { Length: > 0 } exchange })
                {
                    continue; // null MX (RFC 7505): nothing to look up
                }

                var answer = await QueryAsync(exchange, AddressType).ConfigureAwait(false);
                if (answer.IsTemporaryFailure)
                {
                    return TempError($"'{mechanism.Text}': lookup of MX host {exchange} failed ({answer.Status}).");
                }

                if (AnyAddressMatches(answer, mechanism))
                {
                    return Match.Yes;
                }
            }

            return Match.No;
        }

        /// <summary>
        /// The client's validated host names (RFC 7208 5.5): PTR names whose A/AAAA records contain the
        /// client address. Errors on the PTR lookup mean "no names"; errors on a name skip that name.
        /// Null means the void-lookup limit was exceeded.
        /// </summary>
        private async Task<List<string>?> ValidatedNamesAsync(SpfMechanism? countedFor)
        {
            if (_validatedPtrNames is not null)
            {
                return _validatedPtrNames;
            }

            var names = new List<string>();
            var ptr = await QueryAsync(DnsName.ReverseName(context.Ip), DnsRecordType.Ptr).ConfigureAwait(false);
            if (ptr.IsVoid && countedFor is not null && !CountVoid(countedFor, "the client's PTR"))
            {
                return null;
            }

            int looked = 0;
            foreach (var record in ptr.Records)
            {
                if (record is not DnsPtrRecord { Target: var name } || looked++ >= owner._options.MaxPtrNames)
                {
                    continue;
                }

                var answer = await QueryAsync(name, AddressType).ConfigureAwait(false);
                foreach (var address in answer.Records)
                {
                    if (address is DnsAddressRecord a && a.Address.Equals(context.Ip))
                    {
                        names.Add(name);
                        break;
                    }
                }
            }

            return _validatedPtrNames = names;
        }

        /// <summary>%{p}: the validated name equal to the domain, else one below it, else any; "unknown" if none.</summary>
        private async Task PrepareValidatedNameAsync()
        {
            var names = await ValidatedNamesAsync(null).ConfigureAwait(false) ?? [];
            string? best = null;
            foreach (var name in names)
            {
                if (name.Equals(context.Domain, StringComparison.OrdinalIgnoreCase))
                {
                    best = name;
                    break;
                }

                if (DnsName.IsSameOrSubdomain(name, context.Domain))
                {
                    best ??= name;
                }
            }

            context.ValidatedName = best ?? (names.Count > 0 ? names[0] : "unknown");
        }

        /// <summary>
        /// Expands a domain-spec into a name to query: trailing dot dropped, shortened from the left to
        /// 253 characters (RFC 7208 7.3). Null when the result cannot be queried.
        /// </summary>
        private async Task<string?> ExpandDomainAsync(MacroString spec)
        {
            if (spec.UsesPtr)
            {
                await PrepareValidatedNameAsync().ConfigureAwait(false);
            }

            var expanded = spec.Expand(context);
            if (expanded.EndsWith('.'))
            {
                expanded = expanded[..^1];
            }

            while (expanded.Length > DnsName.MaxNameLength)
            {
                int dot = expanded.IndexOf('.');
                if (dot < 0)
                {
                    return null;
                }

                expanded = expanded[(dot + 1)..];
            }

            return DnsName.IsValidAscii(expanded) ? expanded : null;
        }

        /// <summary>exp= (RFC 7208 6.2): any problem fetching or expanding it means "no explanation", never an error.</summary>
        private async Task<string?> ExplainAsync(SpfModifier exp)
        {
            var target = await ExpandDomainAsync(exp.Macro!).ConfigureAwait(false);
            if (target is null)
            {
                return null;
            }

            var answer = await SafeDns.QueryAsync(owner._dns, target, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
            if (!answer.IsFound || answer.Records.Count != 1 || answer.Records[0] is not DnsTxtRecord txt)
            {
                return null;
            }

            var text = txt.Text;
            if (!System.Text.Ascii.IsValid(text)
                || !MacroString.TryParse(text, MacroScope.Explanation, out var macro, out _, out _))
            {
                return null;
            }

            if (macro!.UsesPtr)
            {
                await PrepareValidatedNameAsync().ConfigureAwait(false);
            }

            return macro.Expand(context);
        }

        private DnsRecordType AddressType => context.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A;

        private bool AnyAddressMatches(DnsAnswer answer, SpfMechanism mechanism)
        {
            var ip = context.Ip;
            int prefix = ip.AddressFamily == AddressFamily.InterNetworkV6 ? mechanism.Cidr6 ?? 128 : mechanism.Cidr4 ?? 32;
            foreach (var record in answer.Records)
            {
                if (record is DnsAddressRecord a && IpPrefix.Matches(ip, a.Address, prefix))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// What a, mx and exists do first (RFC 7208 5.3, 5.4, 5.7): count the lookup, find the target (the mechanism's
        /// domain-spec, else the domain being checked) and query it. <c>Decided</c> is the mechanism's result when
        /// these steps settle it (over the lookup limit, an unqueryable target, a failed lookup, a void answer);
        /// otherwise the answer has records to match.
        /// </summary>
        /// <param name="lookup">How a failed query is named in the problem ("lookup", "MX lookup").</param>
        private async Task<(Match? Decided, DnsAnswer? Answer, string? Target)> LookUpTargetAsync(SpfMechanism mechanism, string domain, DnsRecordType type, string lookup)
        {
            if (!CountLookup())
            {
                return (Match.PermError, null, null);
            }

            var target = mechanism.Domain is null ? domain : await ExpandDomainAsync(mechanism.Domain).ConfigureAwait(false);
            if (target is null)
            {
                return (Match.No, null, null); // RFC 7208 leaves an unqueryable target undefined; treat as no match (like 4.3).
            }

            var answer = await QueryAsync(target, type).ConfigureAwait(false);
            if (answer.IsTemporaryFailure)
            {
                return (TempError($"'{mechanism.Text}': {lookup} of {target} failed ({answer.Status})."), null, target);
            }

            if (answer.IsVoid)
            {
                return (CountVoid(mechanism, target) ? Match.No : Match.PermError, null, target);
            }

            return (null, answer, target);
        }

        private Task<DnsAnswer> QueryAsync(string name, DnsRecordType type) =>
            SafeDns.QueryAsync(owner._dns, name, type, cancellationToken);

        private bool CountLookup()
        {
            if (++Lookups > owner._options.MaxDnsLookups)
            {
                _problem = $"More than {owner._options.MaxDnsLookups} DNS lookups (include, a, mx, ptr, exists, redirect).";
                return false;
            }

            return true;
        }

        private bool CountVoid(SpfMechanism mechanism, string target)
        {
            if (++Voids > owner._options.MaxVoidLookups)
            {
                _problem = $"'{mechanism.Text}': {target} does not exist or has no records; more than {owner._options.MaxVoidLookups} void lookups.";
                return false;
            }

            return true;
        }

        private Match TempError(string problem)
        {
            _problem = problem;
            return Match.TempError;
        }

        private Match PermError(string problem)
        {
            _problem = problem;
            return Match.PermError;
        }
    }
}
