namespace Parley.Deliverability.Dkim;

/// <summary>Per-signature DKIM results, as written in Authentication-Results (RFC 8601 2.7.1).</summary>
public enum DkimResult
{
    Pass,

    /// <summary>The signature or body hash does not match: the message was changed, or the key is not the signer's.</summary>
    Fail,

    /// <summary>The signature could not be processed: malformed tags, unknown algorithm or canonicalization.</summary>
    Neutral,

    /// <summary>The key could not be fetched for a reason that may go away (SERVFAIL, timeout).</summary>
    TempError,

    /// <summary>Unrecoverable: no key, revoked or unusable key, From not signed, expired, too-weak key or algorithm.</summary>
    PermError,
}

public static class DkimResultExtensions
{
    public static string ToToken(this DkimResult result) => result switch
    {
        DkimResult.Pass => "pass",
        DkimResult.Fail => "fail",
        DkimResult.Neutral => "neutral",
        DkimResult.TempError => "temperror",
        _ => "permerror",
    };
}

/// <summary>
/// The outcome for one DKIM-Signature header: result, the signing domain (d=) and selector (s=), the
/// identity (i=), the algorithm, the key size, and a reason in words for anything but pass.
/// </summary>
public sealed record DkimSignatureResult
{
    public required DkimResult Result { get; init; }

    /// <summary>d=, lower case; empty when the signature has none.</summary>
    public string Domain { get; init; } = string.Empty;

    /// <summary>s=; empty when the signature has none.</summary>
    public string Selector { get; init; } = string.Empty;

    /// <summary>i= (the agent or user identifier), or "@d" when absent.</summary>
    public string? Identity { get; init; }

    /// <summary>a=, as written ("rsa-sha256", "ed25519-sha256").</summary>
    public string? Algorithm { get; init; }

    public int KeyBits { get; init; }

    /// <summary>The key record had t=y: the domain is testing, so a failure must not count against the message.</summary>
    public bool Testing { get; init; }

    /// <summary>Why the result is not pass (or a note, e.g. l= in use).</summary>
    public string? Reason { get; init; }

    /// <summary>"pass d=example.com s=sel" (plus the reason), one line as `parley dkim verify` prints it.</summary>
    public override string ToString() =>
        $"{Result.ToToken()} d={(Domain.Length > 0 ? Domain : "?")} s={(Selector.Length > 0 ? Selector : "?")}{(Reason is null ? string.Empty : " (" + Reason + ")")}";
}
