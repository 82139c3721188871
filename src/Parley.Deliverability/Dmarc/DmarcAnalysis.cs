using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Dmarc;

/// <summary>The doctor's view of a domain's DMARC: the record that applies, where it was found, and findings.</summary>
public sealed record DmarcAnalysis
{
    public required string Domain { get; init; }

    public DmarcRecord? Record { get; init; }

    /// <summary>Where the applying record was found: the domain itself or a parent (tree walk).</summary>
    public string? PolicyDomain { get; init; }

    public string? OrganizationalDomain { get; init; }

    /// <summary>The policy that applies to mail from <see cref="Domain"/> (p=, or sp= when inherited).</summary>
    public DmarcPolicy? EffectivePolicy { get; init; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>How Parley's mail authenticates, for the alignment check: the SPF identity and the DKIM d= domains.</summary>
public sealed record DmarcRouteIdentity(string EnvelopeDomain, bool SpfAuthorizes, IReadOnlyList<DmarcDkimIdentity> Dkim);

/// <summary>One DKIM signing domain of Parley's, and whether its published key is usable (matches, not revoked).</summary>
public sealed record DmarcDkimIdentity(string Domain, string Selector, bool KeyValid);
