namespace Parley.Core.Reports;

/// <summary>A source's figures over a period, as summed from its report rows.</summary>
public sealed record SourceFigures(
    long Count, long Compliant, long ForwardedByReason, long ForwardingPattern, long UnalignedPass)
{
    public static SourceFigures operator +(SourceFigures a, SourceFigures b) =>
        new(a.Count + b.Count, a.Compliant + b.Compliant, a.ForwardedByReason + b.ForwardedByReason, a.ForwardingPattern + b.ForwardingPattern, a.UnalignedPass + b.UnalignedPass);
}

/// <summary>
/// Gives a source its verdict, in this order: Parley's own route; a known forwarder (the reporter's reason says
/// forwarded, mailing list or ARC pass, or our DKIM passes aligned where our own SPF fails — mail relayed unchanged);
/// another authorised sender (most of its mail passes DMARC); a failing legitimate-looking sender (SPF or DKIM passes,
/// unaligned); else a suspected forgery. "Most" is at least half of the source's messages.
/// </summary>
public static class DmarcSourceClassifier
{
    private static readonly string[] ForwardingReasons = ["forwarded", "trusted_forwarder", "mailing_list", "arc=pass"];

    public static (SourceVerdict Verdict, string Why) Classify(SourceFigures figures, string? ownRoute)
    {
        var failed = figures.Count - figures.Compliant;
        if (ownRoute is not null)
        {
            return (SourceVerdict.ParleyRoute, failed == 0
                ? $"Parley's own route: {ownRoute}."
                : $"Parley's own route: {ownRoute}; {failed} of its {figures.Count} messages failed DMARC, so check its SPF and DKIM in the doctor.");
        }

        if (Most(figures.ForwardedByReason, figures.Count))
        {
            return (SourceVerdict.KnownForwarder, "A forwarder or mailing list: the reporters say the mail was forwarded.");
        }

        if (Most(figures.ForwardingPattern, figures.Count))
        {
            return (SourceVerdict.KnownForwarder, "Looks like a forwarder: your DKIM signature passes there while your own SPF fails, as when mail is relayed unchanged.");
        }

        if (Most(figures.Compliant, figures.Count))
        {
            return (SourceVerdict.AuthorisedSender, failed == 0
                ? "Another service you authorised: its mail passes DMARC."
                : $"Another service you authorised: its mail passes DMARC, except {failed} of {figures.Count} messages.");
        }

        if (Most(figures.UnalignedPass, figures.Count))
        {
            return (SourceVerdict.FailingLegitimate, "Looks legitimate but fails DMARC: SPF or DKIM passes for another domain, not aligned with yours. Sign its mail with DKIM for your domain, or use a bounce domain under yours.");
        }

        return (SourceVerdict.SuspectedForgery, "Suspected forgery: neither SPF nor DKIM passes for your domain, nor for any other.");
    }

    /// <summary>Whether a row's reasons say it was forwarded (RFC 7489 PolicyOverrideType, or an ARC pass in the comment).</summary>
    public static bool IsForwardedByReason(string? reasons) =>
        reasons is not null && ForwardingReasons.Any(r => reasons.Contains(r, StringComparison.OrdinalIgnoreCase));

    private static bool Most(long part, long whole) => whole > 0 && part * 2 >= whole;
}
