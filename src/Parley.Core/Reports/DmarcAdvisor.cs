using Parley.Deliverability.Dmarc;

namespace Parley.Core.Reports;

/// <summary>
/// Advice that moves the DMARC policy, from the sources of the last days: when every legitimate source (all but the
/// suspected forgeries) passed aligned, the next step (none → quarantine → reject) with the exact record, made with the
/// doctor's record editor; when a source that sends real volume fails, the reverse warning: do not tighten, and under
/// quarantine or reject, that its mail is being lost.
/// </summary>
public static class DmarcAdvisor
{
    /// <summary>A failing legitimate source matters from this share of the volume (or 10 messages, whichever is more).</summary>
    private const double RealVolumeShare = 0.01;

    public static IReadOnlyList<DmarcAdvice> Advise(string domain, string? policyDomain, DmarcRecord? record, IReadOnlyList<DmarcSource> sources, int days)
    {
        var advice = new List<DmarcAdvice>();
        var total = sources.Sum(s => s.Count);
        if (total == 0)
        {
            advice.Add(new DmarcAdvice("wait", $"No report counted mail from {domain} in the last {days} days. Reports come daily once the DMARC record names Parley's reports address in rua=."));
            return advice;
        }

        var recordName = "_dmarc." + (policyDomain ?? domain);
        var inherited = policyDomain is not null && !policyDomain.Equals(domain, StringComparison.OrdinalIgnoreCase);
        var tag = inherited ? "sp" : "p";
        var policy = record is null ? (DmarcPolicy?)null : inherited ? record.SubdomainPolicy : record.Policy;
        var legitimate = sources.Where(s => s.Verdict != SourceVerdict.SuspectedForgery).ToList();
        var threshold = Math.Max(10, (long)Math.Ceiling(total * RealVolumeShare));
        var failing = legitimate.Where(s => s.Count - s.Compliant >= threshold && s.Verdict != SourceVerdict.KnownForwarder).OrderByDescending(s => s.Count - s.Compliant).ToList();
        var forged = sources.Where(s => s.Verdict == SourceVerdict.SuspectedForgery).Sum(s => s.Count);

        if (failing.Count > 0)
        {
            var list = string.Join("; ", failing.Take(5).Select(s => $"{s.Ip}{(s.Ptr is null ? "" : $" ({s.Ptr})")}: {s.Count - s.Compliant} of {s.Count} messages failed"));
            var text = $"Do not tighten the policy yet: {failing.Count} source{(failing.Count == 1 ? "" : "s")} sending real mail as {domain} fail{(failing.Count == 1 ? "s" : "")} DMARC ({list}). Fix {(failing.Count == 1 ? "its" : "their")} SPF or DKIM first.";
            if (policy is DmarcPolicy.Quarantine or DmarcPolicy.Reject && record is not null)
            {
                var softer = DmarcRecordEditor.SetTag(record.Text, tag, "none");
                advice.Add(new DmarcAdvice("warn",
                    $"{text} Under {tag}={policy.ToString()!.ToLowerInvariant()} receivers are {(policy == DmarcPolicy.Reject ? "rejecting" : "quarantining")} that mail now; if it cannot be fixed soon, step back to {tag}=none:",
                    recordName, softer));
            }
            else
            {
                advice.Add(new DmarcAdvice("warn", text));
            }

            return advice;
        }

        var passed = legitimate.Sum(s => s.Compliant);
        var legit = legitimate.Sum(s => s.Count);
        var percent = legit == 0 ? 0 : 100.0 * passed / legit;
        var summary = $"{percent:0.#} % of your legitimate volume in the last {days} days ({passed} of {legit} messages) passed aligned, from {legitimate.Count} source{(legitimate.Count == 1 ? "" : "s")}"
            + (forged > 0 ? $"; {forged} messages came from suspected forgers, which a stricter policy stops." : ".");
        if (record is null)
        {
            advice.Add(new DmarcAdvice("hold", summary + $" {recordName} could not be read now, so no new record is proposed."));
        }
        else if (percent < 99)
        {
            advice.Add(new DmarcAdvice("hold", summary + " Small sources still fail; look at the sources below before tightening."));
        }
        else if (policy == DmarcPolicy.Reject)
        {
            advice.Add(new DmarcAdvice("hold", summary + $" The policy is already {tag}=reject: nothing to tighten."));
        }
        else
        {
            var next = policy == DmarcPolicy.Quarantine ? "reject" : "quarantine";
            advice.Add(new DmarcAdvice("tighten", summary + $" You can move to {tag}={next}:", recordName, DmarcRecordEditor.SetTag(record.Text, tag, next)));
        }

        return advice;
    }
}
