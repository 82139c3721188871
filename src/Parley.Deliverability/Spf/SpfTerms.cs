using System.Net;

namespace Parley.Deliverability.Spf;

public enum SpfQualifier
{
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

public enum SpfMechanismKind
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>One term of a record, with its text and where it starts in the record (0-based).</summary>
public abstract record SpfTerm(string Text, int Position);

/// <summary>A directive: qualifier + mechanism (RFC 7208 section 5).</summary>
public sealed record SpfMechanism(string Text, int Position, SpfQualifier Qualifier, SpfMechanismKind Kind) : SpfTerm(Text, Position)
{
    /// <summary>The domain-spec as written, before macro expansion; null when the mechanism uses the current domain.</summary>
    public string? DomainSpec { get; init; }

    /// <summary>The network of ip4:/ip6:.</summary>
    public IPAddress? Network { get; init; }

    /// <summary>IPv4 prefix length (ip4, a, mx); null when not written.</summary>
    public int? Cidr4 { get; init; }

    /// <summary>IPv6 prefix length (ip6, a, mx); null when not written.</summary>
    public int? Cidr6 { get; init; }

    internal MacroString? Domain { get; init; }

    /// <summary>Mechanisms that count against the limit of 10 DNS lookups.</summary>
    public bool CausesLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}

/// <summary>A modifier: redirect=, exp= or an unknown one (kept, ignored by evaluation).</summary>
public sealed record SpfModifier(string Text, int Position, string Name, string Value) : SpfTerm(Text, Position)
{
    internal MacroString? Macro { get; init; }
}
