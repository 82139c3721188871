using System.Net;
using MimeKit;
using Parley.Deliverability.Arc;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dmarc;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Core.SpamTest;

/// <summary>What the Deliverability library found about the message's authentication, shared by the sections that read it.</summary>
public sealed record AuthenticationFacts(
    SpfResult? MailFromSpf, string? SpfDomain, SpfResult? HeloSpf, IReadOnlyList<DkimSignatureResult> Dkim, IReadOnlyList<DkimSignature> Signatures,
    DmarcEvaluation? Dmarc, string? FromDomain, ArcVerification Arc)
{
    public bool SpfPassed => MailFromSpf?.Verdict == SpfVerdict.Pass;
    public bool DkimPassed => Dkim.Any(d => d.Result == DkimResult.Pass);
}

/// <summary>
/// Authentication: SPF of MAIL FROM and of HELO for the connecting IP, each DKIM signature (result, key, algorithm and
/// what it covers), DMARC and alignment, ARC — all through Parley.Deliverability, as inbound mail is authenticated.
/// </summary>
public sealed class AuthenticationChecks(IDnsResolver dns, TimeProvider clock)
{
    /// <summary>Signatures past this many are not verified (each costs a DNS lookup and a hash of the body).</summary>
    public const int MaxSignatures = 5;

    private readonly SpfEvaluator _spf = new(dns, clock);
    private readonly DkimMessageVerifier _dkim = new(dns, clock);
    private readonly ArcChainVerifier _arc = new(dns);
    private readonly DmarcEvaluator _dmarc = new(dns);

    public async Task<AuthenticationFacts> GatherAsync(MessageUnderTest message, SpamTestSubject subject, CancellationToken cancellationToken)
    {
        var mime = message.Message;
        var helo = subject.Helo ?? "";
        Task<SpfResult?> mailFrom = Task.FromResult<SpfResult?>(null), heloSpf = Task.FromResult<SpfResult?>(null);
        if (subject.ClientIp is { } ip)
        {
            mailFrom = Guard<SpfResult?>(async () => await _spf.CheckMailFromAsync(ip, subject.MailFrom ?? "", helo, cancellationToken), new SpfResult { Verdict = SpfVerdict.TempError });
            heloSpf = helo.Length == 0 ? heloSpf : Guard<SpfResult?>(async () => await _spf.CheckHeloAsync(ip, helo, cancellationToken), new SpfResult { Verdict = SpfVerdict.TempError });
        }

        var headers = mime.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MaxSignatures).ToList();
        var dkim = Task.WhenAll(headers.Select(h => Guard(() => _dkim.VerifySignatureAsync(mime, h, cancellationToken),
            new DkimSignatureResult { Result = DkimResult.TempError, Reason = "the check could not finish" })));
        var arc = Guard(() => _arc.VerifyAsync(mime, cancellationToken), new ArcVerification(ArcResult.None, 0, "temperror"));
        var signatures = headers.Select(h => DkimSignature.Parse(h.Value, clock.GetUtcNow())).ToList();
        var spfResult = await mailFrom;
        var dkimResults = await dkim;
        var fromDomain = mime.From.Mailboxes.FirstOrDefault()?.Domain?.ToLowerInvariant();
        var spfDomain = string.IsNullOrEmpty(subject.MailFrom) ? (helo.Length > 0 ? helo : null) : subject.MailFrom[(subject.MailFrom.LastIndexOf('@') + 1)..];
        DmarcEvaluation? dmarc = null;
        if (!string.IsNullOrEmpty(fromDomain))
        {
            dmarc = await Guard(() => _dmarc.EvaluateAsync(new DmarcEvaluationInput(fromDomain, spfResult?.Verdict ?? SpfVerdict.None, spfDomain, dkimResults), cancellationToken),
                new DmarcEvaluation { Result = DmarcResult.TempError, Reason = "the check could not finish" });
        }

        return new AuthenticationFacts(spfResult, spfDomain, await heloSpf, dkimResults, signatures, dmarc, fromDomain, await arc);

        async Task<T> Guard<T>(Func<Task<T>> check, T onError)
        {
            try
            {
                return await check();
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                return onError;
            }
        }
    }

    public static SpamSection Section(AuthenticationFacts facts, SpamTestSubject subject)
    {
        var checks = new List<SpamCheck> { Spf(facts, subject), Helo(facts, subject) };
        checks.AddRange(Dkim(facts));
        checks.Add(Dmarc(facts));
        checks.Add(Alignment(facts));
        checks.Add(Arc(facts));
        return new SpamSection("authentication", "Authentication", checks);
    }

    private static SpamCheck Spf(AuthenticationFacts facts, SpamTestSubject subject)
    {
        const string id = "auth.spf", title = "SPF for the envelope sender";
        const double points = 1.5;
        if (facts.MailFromSpf is not { } spf)
        {
            return SpamCheck.Info(id, title, "Not checked: the connecting IP is not known (give --ip to parley score).");
        }

        var who = $"{facts.SpfDomain ?? "the sender"} from {subject.ClientIp}";
        var fix = new CheckFix($"Publish an SPF record for {facts.SpfDomain} that includes {subject.ClientIp} (or the relay you send through), e.g. \"v=spf1 ip4:{subject.ClientIp} ~all\". The domain doctor gives the exact record for Parley's own routes.",
            facts.SpfDomain is null ? null : new Deliverability.Doctor.DnsFix("TXT", facts.SpfDomain, $"v=spf1 {(subject.ClientIp!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "ip4")}:{subject.ClientIp} ~all"));
        return spf.Verdict switch
        {
            SpfVerdict.Pass => SpamCheck.Pass(id, title, points, $"spf=pass: {who} is authorised{(spf.Mechanism is null ? "" : $" by {spf.Mechanism}")}."),
            SpfVerdict.SoftFail => new SpamCheck(id, title, CheckResult.Warn, points, $"spf=softfail: {who} is not authorised (~all).", fix),
            SpfVerdict.Neutral => new SpamCheck(id, title, CheckResult.Warn, points, $"spf=neutral: {who} is neither authorised nor refused.", fix),
            SpfVerdict.None => new SpamCheck(id, title, CheckResult.Fail, points, $"spf=none: {facts.SpfDomain ?? "the sender's domain"} publishes no SPF record.", fix),
            SpfVerdict.TempError => new SpamCheck(id, title, CheckResult.Warn, points, $"spf=temperror: the SPF record could not be read ({spf.Problem ?? "DNS trouble"})."),
            SpfVerdict.PermError => new SpamCheck(id, title, CheckResult.Fail, points, $"spf=permerror: the SPF record of {facts.SpfDomain} is broken ({spf.Problem}).",
                new CheckFix($"Repair the SPF record of {facts.SpfDomain}: `parley spf check {facts.SpfDomain}` shows what is wrong.")),
            _ => new SpamCheck(id, title, CheckResult.Fail, points, $"spf=fail: {who} is not authorised{(spf.Explanation is null ? "" : $" ({spf.Explanation})")}.", fix),
        };
    }

    private static SpamCheck Helo(AuthenticationFacts facts, SpamTestSubject subject)
    {
        const string id = "auth.spf-helo", title = "SPF for the HELO name";
        if (facts.HeloSpf is not { } spf)
        {
            return SpamCheck.Info(id, title, subject.ClientIp is null ? "Not checked: the connecting IP is not known." : "Not checked: the client sent no HELO name.");
        }

        return spf.Verdict switch
        {
            SpfVerdict.Pass => SpamCheck.Pass(id, title, 0.5, $"spf=pass for HELO {subject.Helo}."),
            SpfVerdict.None or SpfVerdict.Neutral or SpfVerdict.TempError => SpamCheck.Info(id, title, $"spf={spf.Verdict.ToToken()} for HELO {subject.Helo}: receivers rarely count it."),
            _ => new SpamCheck(id, title, CheckResult.Warn, 0.5, $"spf={spf.Verdict.ToToken()} for HELO {subject.Helo}.",
                new CheckFix($"Publish \"v=spf1 a -all\" at {subject.Helo}, the name the server greets with.", new Deliverability.Doctor.DnsFix("TXT", subject.Helo!, "v=spf1 a -all"))),
        };
    }

    private static IEnumerable<SpamCheck> Dkim(AuthenticationFacts facts)
    {
        if (facts.Dkim.Count == 0)
        {
            yield return new SpamCheck("auth.dkim", "DKIM signature", CheckResult.Fail, 1.5, "The message has no DKIM-Signature: receivers cannot tell that the domain sent it.",
                new CheckFix($"Sign outgoing mail with DKIM for {facts.FromDomain ?? "the From domain"} (Parley signs once a key is made under Domains) and publish the selector's key record the doctor shows."));
            yield break;
        }

        var passed = facts.Dkim.Where(d => d.Result == DkimResult.Pass).ToList();
        var lines = string.Join("; ", facts.Dkim.Select(d => $"{d.Result.ToToken()} d={d.Domain} s={d.Selector} {d.Algorithm} {(d.KeyBits > 0 ? d.KeyBits + " bits" : "")}{(d.Reason is null ? "" : $" ({d.Reason})")}".Trim()));
        yield return passed.Count > 0
            ? SpamCheck.Pass("auth.dkim", "DKIM signature", 1.5, lines)
            : new SpamCheck("auth.dkim", "DKIM signature", CheckResult.Fail, 1.5, "No signature verifies: " + lines,
                new CheckFix("Check that the selector's public key is published as the doctor shows, and that nothing changes the message after signing (footers, link rewriting)."));

        var weak = passed.Where(d => d.Algorithm?.StartsWith("rsa", StringComparison.OrdinalIgnoreCase) == true && d.KeyBits is > 0 and < 2048).ToList();
        yield return weak.Count > 0
            ? new SpamCheck("auth.dkim-key", "DKIM key strength", CheckResult.Warn, 0.5, $"{string.Join(", ", weak.Select(d => $"d={d.Domain} s={d.Selector}: {d.KeyBits}-bit RSA"))}; 2048 bits is the norm.",
                new CheckFix("Make a 2048-bit RSA key (or add an Ed25519 one) under Domains, publish its record, then retire the short one."))
            : passed.Any(d => d.Algorithm?.Contains("sha1", StringComparison.OrdinalIgnoreCase) == true)
                ? new SpamCheck("auth.dkim-key", "DKIM key strength", CheckResult.Warn, 0.5, "A signature uses rsa-sha1, which RFC 8301 retired.", new CheckFix("Sign with rsa-sha256 or ed25519-sha256."))
                : SpamCheck.Pass("auth.dkim-key", "DKIM key strength", 0.5, passed.Count > 0 ? string.Join(", ", passed.Select(d => $"{d.Algorithm} {(d.KeyBits > 0 ? d.KeyBits + " bits" : "")}".Trim())) : "No verified signature to judge.");

        // What the signatures cover, from the signature headers themselves.
        var problems = new List<string>();
        foreach (var s in facts.Signatures)
        {
            var signed = s.SignedHeaders.Select(h => h.ToLowerInvariant()).ToHashSet();
            if (!signed.Contains("subject"))
            {
                problems.Add($"d={s.Domain} does not sign Subject");
            }

            if (s.BodyLength >= 0)
            {
                problems.Add($"d={s.Domain} signs only the first {s.BodyLength} bytes of the body (l=), so anything can be appended");
            }
        }

        yield return problems.Count > 0
            ? new SpamCheck("auth.dkim-coverage", "What DKIM covers", CheckResult.Warn, 0.5, string.Join("; ", problems) + ".", new CheckFix("Sign From, To, Subject, Date and Message-ID, and the whole body (no l= tag)."))
            : SpamCheck.Pass("auth.dkim-coverage", "What DKIM covers", 0.5, "Every signature covers From and Subject and the whole body.");
    }

    private static SpamCheck Dmarc(AuthenticationFacts facts)
    {
        const string id = "auth.dmarc", title = "DMARC";
        const double points = 2;
        if (facts.Dmarc is not { } dmarc)
        {
            return new SpamCheck(id, title, CheckResult.Fail, points, "The message has no usable From address, so DMARC cannot be evaluated.");
        }

        return dmarc.Result switch
        {
            DmarcResult.Pass => SpamCheck.Pass(id, title, points, $"dmarc=pass for {facts.FromDomain} (policy {dmarc.PublishedPolicy?.ToString().ToLowerInvariant() ?? "?"})."),
            DmarcResult.None => SpamCheck.Info(id, title, $"dmarc=none: {dmarc.Reason}. The mailbox providers' rules ask for one (see below)."),
            DmarcResult.TempError => new SpamCheck(id, title, CheckResult.Warn, points, $"dmarc=temperror: {dmarc.Reason}."),
            _ => new SpamCheck(id, title, CheckResult.Fail, points,
                $"dmarc={dmarc.Token} for {facts.FromDomain}: {dmarc.Reason}; neither SPF nor DKIM passed for a domain aligned with the From (policy {dmarc.PublishedPolicy?.ToString().ToLowerInvariant() ?? "?"}).",
                new CheckFix($"Send with an envelope sender in {facts.FromDomain} that SPF authorises, or sign with DKIM as {facts.FromDomain} (d={facts.FromDomain}).")),
        };
    }

    private static SpamCheck Alignment(AuthenticationFacts facts)
    {
        const string id = "auth.alignment", title = "Alignment of SPF and DKIM with the From";
        if (facts.Dmarc is not { Result: DmarcResult.Pass or DmarcResult.Fail } dmarc)
        {
            return SpamCheck.Info(id, title, "No DMARC verdict to align with.");
        }

        var detail = $"SPF {(dmarc.SpfAligned ? "aligned" : "not aligned")} ({facts.SpfDomain ?? "no envelope domain"}), DKIM {(dmarc.DkimAligned ? $"aligned (d={dmarc.AlignedDkimDomain})" : "not aligned")} with {facts.FromDomain}.";
        return dmarc.SpfAligned && dmarc.DkimAligned ? SpamCheck.Pass(id, title, 0.5, detail)
            : dmarc.SpfAligned || dmarc.DkimAligned ? new SpamCheck(id, title, CheckResult.Warn, 0.5, detail + " One aligned pass is enough for DMARC, but forwarding breaks SPF: both keep mail safe.",
                new CheckFix(dmarc.DkimAligned ? $"Use a bounce (MAIL FROM) domain under {facts.FromDomain}." : $"Sign with d={facts.FromDomain}."))
            : new SpamCheck(id, title, CheckResult.Fail, 0.5, detail);
    }

    private static SpamCheck Arc(AuthenticationFacts facts)
    {
        const string id = "auth.arc", title = "ARC chain";
        return facts.Arc.Result switch
        {
            ArcResult.None => SpamCheck.Info(id, title, "arc=none: no forwarder sealed the message (normal for direct mail)."),
            ArcResult.Pass => SpamCheck.Pass(id, title, 0.5, $"arc=pass: {facts.Arc.Instances} seal{(facts.Arc.Instances == 1 ? "" : "s")} verify."),
            _ => new SpamCheck(id, title, CheckResult.Warn, 0.5, $"arc={facts.Arc.Token}: {facts.Arc.Reason}."),
        };
    }
}
