using System.Net;
using Parley.Deliverability.Arc;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Core.Inbound;

/// <summary>
/// SPF (connecting IP and MAIL FROM, or HELO for a null sender — only for mail received by the listener),
/// DKIM, DMARC and ARC through Parley.Deliverability, written as an RFC 8601 Authentication-Results value.
/// Every check runs on its own guard: DNS trouble or a bug in one check is that check's temperror, never an exception.
/// The host registers it over its DNS resolver; without it (Core's tests) <see cref="UncheckedInboundAuthenticator"/> says
/// that nothing was checked.
/// </summary>
public sealed class DeliverabilityInboundAuthenticator(IDnsResolver dns, TimeProvider clock) : IInboundAuthenticator
{
    private readonly SpfEvaluator _spf = new(dns, clock);
    private readonly DkimMessageVerifier _dkim = new(dns, clock);
    private readonly ArcChainVerifier _arc = new(dns);
    private readonly DmarcEvaluator _dmarc = new(dns);

    public async Task<InboundAuthentication> AuthenticateAsync(InboundAuthInput input, CancellationToken cancellationToken)
    {
        var spfTask = SpfAsync(input, cancellationToken);
        var dkimTask = Guard<IReadOnlyList<DkimSignatureResult>?>(async () => await _dkim.VerifyAsync(input.Message, cancellationToken), null, cancellationToken);
        var arcTask = Guard(() => _arc.VerifyAsync(input.Message, cancellationToken), new ArcVerification(ArcResult.None, 0, "temperror"), cancellationToken);
        var (spfVerdict, spfDomain, spfText) = await spfTask;
        var dkim = await dkimTask;
        var arc = await arcTask;

        var fromDomain = input.Message.From.Mailboxes.FirstOrDefault()?.Domain;
        string dmarcText, dmarcToken;
        if (string.IsNullOrEmpty(fromDomain))
        {
            (dmarcToken, dmarcText) = ("none", "dmarc=none (no From domain)");
        }
        else
        {
            var evaluation = await Guard(() => _dmarc.EvaluateAsync(new DmarcEvaluationInput(fromDomain, spfVerdict, spfDomain, dkim ?? []), cancellationToken),
                new DmarcEvaluation { Result = DmarcResult.TempError, Reason = "the check could not finish" }, cancellationToken);
            dmarcToken = evaluation.Token;
            dmarcText = $"dmarc={evaluation.Token} header.from={fromDomain}" + (evaluation.Result == DmarcResult.Fail ? $" policy.dmarc={evaluation.Disposition.ToString().ToLowerInvariant()}" : "");
        }

        var dkimParts = dkim is null ? ["dkim=temperror"]
            : dkim.Count == 0 ? ["dkim=none"]
            : dkim.Select(d => $"dkim={d.Result.ToToken()} header.d={Safe(d.Domain)} header.s={Safe(d.Selector)}").ToList();
        var dkimToken = dkim is null ? "temperror" : dkim.Count == 0 ? "none"
            : dkim.Any(d => d.Result == DkimResult.Pass) ? "pass" : dkim[0].Result.ToToken();
        var arcToken = arc.Reason == "temperror" ? "temperror" : arc.Token;
        var header = string.Join("; ", new[] { input.AuthServId, spfText }.Concat(dkimParts).Append(dmarcText).Append($"arc={arcToken}"));
        return new InboundAuthentication(spfVerdict.ToToken(), dkimToken, dmarcToken, arcToken, header);
    }

    private async Task<(SpfVerdict Verdict, string? Domain, string Text)> SpfAsync(InboundAuthInput input, CancellationToken cancellationToken)
    {
        var envelope = input.Envelope;
        if (envelope.Source != InboundEnvelope.Smtp || !IPAddress.TryParse(envelope.ClientAddress, out var ip))
        {
            return (SpfVerdict.None, null, $"spf=none (received by {envelope.Source}, no connecting IP to check)");
        }

        var helo = envelope.Helo ?? "";
        var result = await Guard(() => _spf.CheckMailFromAsync(ip, envelope.MailFrom, helo, cancellationToken), new SpfResult { Verdict = SpfVerdict.TempError }, cancellationToken);
        var nullSender = string.IsNullOrEmpty(envelope.MailFrom);
        var domain = nullSender ? helo : envelope.MailFrom[(envelope.MailFrom.LastIndexOf('@') + 1)..];
        var property = nullSender ? $"smtp.helo={Safe(helo)}" : $"smtp.mailfrom={Safe(envelope.MailFrom)}";
        return (result.Verdict, domain, $"spf={result.Verdict.ToToken()} {property}");
    }

    private static async Task<T> Guard<T>(Func<Task<T>> check, T onError, CancellationToken cancellationToken)
    {
        try { return await check(); }
        catch (Exception) when (!cancellationToken.IsCancellationRequested) { return onError; }
    }

    /// <summary>RFC 8601 property values: no spaces, semicolons or parentheses that would break the header.</summary>
    private static string Safe(string value)
    {
        var clean = new string(value.Where(c => c > ' ' && c < 127 && c is not (';' or '(' or ')' or '"')).ToArray());
        return clean.Length == 0 ? "unknown" : clean.Length > 200 ? clean[..200] : clean;
    }
}
