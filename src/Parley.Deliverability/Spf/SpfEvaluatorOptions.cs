namespace Parley.Deliverability.Spf;

/// <summary>Processing limits (RFC 7208 4.6.4) and local names used by macros.</summary>
public sealed class SpfEvaluatorOptions
{
    /// <summary>Mechanisms and modifiers that cause DNS lookups, per check.</summary>
    public int MaxDnsLookups { get; set; } = 10;

    /// <summary>Terms whose lookup returns NXDOMAIN or no records, per check.</summary>
    public int MaxVoidLookups { get; set; } = 2;

    /// <summary>MX records an "mx" mechanism may look at (more is permerror).</summary>
    public int MaxMxNames { get; set; } = 10;

    /// <summary>PTR names "ptr" and %{p} look at (the rest are ignored).</summary>
    public int MaxPtrNames { get; set; } = 10;

    /// <summary>Wall-clock limit for one check (RFC: at least 20 s); exceeding it is temperror.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>%{r}: this receiving host's name.</summary>
    public string ReceiverName { get; set; } = "unknown";
}
