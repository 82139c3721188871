using System.Globalization;
using System.Net;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Spf;

/// <summary>
/// RFC 7208 check_host(). Our own implementation: see docs/adr/0002-spf-evaluator.md for why
/// (ARSoft.Tools.Net 3.6.1 fails 77 of the 203 openspf conformance tests).
/// Never throws for bad input or DNS trouble; only the caller's cancellation propagates.
/// </summary>
public sealed partial class SpfEvaluator
{
    private readonly IDnsResolver _dns;
    private readonly TimeProvider _time;
    private readonly SpfEvaluatorOptions _options;

    public SpfEvaluator(IDnsResolver dns, TimeProvider? time = null, SpfEvaluatorOptions? options = null)
    {
        _dns = dns;
        _time = time ?? TimeProvider.System;
        _options = options ?? new SpfEvaluatorOptions();
    }

    /// <summary>The MAIL FROM identity (RFC 7208 2.4); an empty reverse-path checks the HELO identity instead.</summary>
    public Task<SpfResult> CheckMailFromAsync(IPAddress ip, string? mailFrom, string helo, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(mailFrom))
        {
            return CheckHeloAsync(ip, helo, cancellationToken);
        }

        int at = mailFrom.LastIndexOf('@');
        var domain = at >= 0 ? mailFrom[(at + 1)..] : mailFrom;
        return CheckHostAsync(ip, domain, mailFrom, helo, cancellationToken);
    }

    /// <summary>The HELO identity (RFC 7208 2.3): domain and sender are the HELO name, local-part "postmaster".</summary>
    public Task<SpfResult> CheckHeloAsync(IPAddress ip, string helo, CancellationToken cancellationToken) =>
        CheckHostAsync(ip, helo ?? string.Empty, "postmaster@" + helo, helo ?? string.Empty, cancellationToken);

    /// <summary>check_host(ip, domain, sender) with the HELO name for %{h}.</summary>
    public async Task<SpfResult> CheckHostAsync(IPAddress ip, string domain, string sender, string helo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        // RFC 7208 4.3: a malformed or single-label domain gives "none" without any lookup.
        if (!TryCheckDomain(domain, out var checkDomain))
        {
            return new SpfResult { Verdict = SpfVerdict.None, Domain = domain, Problem = "The domain is not a valid multi-label domain name." };
        }

        sender ??= string.Empty;
        int at = sender.LastIndexOf('@');
        var local = at > 0 ? sender[..at] : "postmaster";
        var senderDomain = at >= 0 ? sender[(at + 1)..] : sender.Length > 0 ? sender : checkDomain;
        var context = new MacroContext
        {
            Ip = ip,
            Sender = local + "@" + senderDomain,
            LocalPart = local,
            SenderDomain = senderDomain,
            Helo = string.IsNullOrEmpty(helo) ? "unknown" : helo,
            Receiver = _options.ReceiverName,
            Timestamp = _time.GetUtcNow().ToUnixTimeSeconds(),
        };

        using var deadline = _options.Timeout == Timeout.InfiniteTimeSpan
            ? null
            : new CancellationTokenSource(_options.Timeout, _time);
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var check = new Check(this, context, linked?.Token ?? cancellationToken);
        try
        {
            var outcome = await check.CheckHostAsync(checkDomain, explain: true).ConfigureAwait(false);
            return outcome.ToResult(check);
        }
        catch (OperationCanceledException) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            return new SpfResult
            {
                Verdict = SpfVerdict.TempError,
                Domain = checkDomain,
                Problem = $"SPF evaluation took longer than {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                DnsLookups = check.Lookups,
                VoidLookups = check.Voids,
            };
        }
    }

    private static bool TryCheckDomain(string? domain, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(domain) || domain.StartsWith('['))
        {
            return false;
        }

        return DnsName.TryNormalize(domain, out normalized) && normalized.Contains('.');
    }

    /// <summary>What one check_host() level produced; converted to <see cref="SpfResult"/> at the top.</summary>
    private readonly record struct Outcome(SpfVerdict Verdict, string? Mechanism, string? Domain, string? Problem, string? Explanation)
    {
        public SpfResult ToResult(Check check) => new()
        {
            Verdict = Verdict,
            Mechanism = Mechanism,
            Domain = Domain,
            Problem = Problem,
            Explanation = Explanation,
            DnsLookups = check.Lookups,
            VoidLookups = check.Voids,
        };
    }

    private enum Match
    {
        No,
        Yes,
        TempError,
        PermError,
    }
}
