using Parley.Deliverability.Dkim;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Dmarc;

public enum DmarcResult
{
    /// <summary>No DMARC policy applies to the From domain.</summary>
    None,
    Pass,
    Fail,
    TempError,
    PermError,
}

/// <summary>
/// What the inbound gateway knows about one message: the RFC5322.From domain, the SPF result and the
/// domain it was checked for (MAIL FROM, or HELO for a null sender), and the DKIM results.
/// </summary>
public sealed record DmarcEvaluationInput(string FromDomain, SpfVerdict SpfResult, string? SpfDomain, IReadOnlyList<DkimSignatureResult> DkimResults);

/// <summary>
/// The DMARC verdict for one message. <see cref="Disposition"/> is what the receiver should do (after
/// t=y / pct=0 softening); <see cref="PublishedPolicy"/> is the policy the domain asked for.
/// </summary>
public sealed record DmarcEvaluation
{
    public required DmarcResult Result { get; init; }

    public DmarcPolicy Disposition { get; init; } = DmarcPolicy.None;

    public DmarcPolicy? PublishedPolicy { get; init; }

    /// <summary>The domain whose _dmarc record applied.</summary>
    public string? PolicyDomain { get; init; }

    public string? OrganizationalDomain { get; init; }

    public bool SpfAligned { get; init; }

    public bool DkimAligned { get; init; }

    /// <summary>d= of the first passing, aligned DKIM signature.</summary>
    public string? AlignedDkimDomain { get; init; }

    public bool TestMode { get; init; }

    public string Reason { get; init; } = string.Empty;

    /// <summary>"pass", "fail"… as in Authentication-Results.</summary>
    public string Token => Result.ToString().ToLowerInvariant();
}
