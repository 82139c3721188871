namespace Parley.Core.Inbound;

/// <summary>How much a received message's header From must be proven before Parley treats it as that person.</summary>
public enum SenderVerification
{
    /// <summary>The default: where the From domain publishes DMARC, the message must pass it (a failure, or a check
    /// that could not finish, is not trusted). Domains without DMARC are taken at their word.</summary>
    DmarcPolicy,
    /// <summary>Only a DMARC pass is trusted, even for domains that publish no policy.</summary>
    RequireDmarcPass,
    /// <summary>The header From is trusted as it is (how Parley behaved before; not recommended).</summary>
    Off,
}

/// <summary>
/// Decides whether a message's header From may stand for a contact: the From line is the sender's own claim, and a
/// message from <c>ceo@bank.test</c> that fails the bank's DMARC must not land in the bank contact's thread. The
/// verdicts come from the Authentication-Results Parley wrote when the message arrived.
/// </summary>
public static class SenderTrust
{
    /// <returns>Null when the sender is trusted; else why not, in words for the unrouted list and the timeline.</returns>
    public static string? Doubt(InboundAuthentication? auth, SenderVerification mode)
    {
        if (mode == SenderVerification.Off)
        {
            return null;
        }

        var dmarc = auth?.Dmarc ?? "none";
        var policy = Policy(auth?.Header);
        return dmarc switch
        {
            "pass" => null,
            "fail" => $"Suspected spoofing: the From domain's DMARC check failed{(policy is { } p ? $" (its policy: {p})" : "")}, so this message may not be from who it says.",
            "temperror" => "Suspected spoofing: the From domain's DMARC check could not finish, so Parley could not confirm who sent this message.",
            _ when mode == SenderVerification.RequireDmarcPass =>
                $"Unverified sender: the message did not pass DMARC (dmarc={dmarc}), and Parley is set to trust only senders that do.",
            _ => null,
        };
    }

    private static string? Policy(string? header)
    {
        if (header is null)
        {
            return null;
        }

        var at = header.IndexOf("policy.dmarc=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var value = header[(at + "policy.dmarc=".Length)..];
        var end = value.IndexOfAny([' ', ';', '\t', '(']);
        return (end < 0 ? value : value[..end]).ToLowerInvariant();
    }
}
