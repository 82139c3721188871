namespace Parley.Deliverability.Spf;

/// <summary>The outcome of one SPF check, with what is needed to explain it to a person.</summary>
public sealed record SpfResult
{
    public required SpfVerdict Verdict { get; init; }

    /// <summary>The expanded exp= text, only for <see cref="SpfVerdict.Fail"/> when the domain published one.</summary>
    public string? Explanation { get; init; }

    /// <summary>The term that decided the result ("-all", "ip4:192.0.2.0/24", "include:_spf.example.net"), if one did.</summary>
    public string? Mechanism { get; init; }

    /// <summary>The domain whose record decided the result or failed (differs from the checked domain after redirect=).</summary>
    public string? Domain { get; init; }

    /// <summary>Why the result is temperror or permerror, in words.</summary>
    public string? Problem { get; init; }

    /// <summary>Mechanisms and modifiers that caused DNS lookups (limit 10).</summary>
    public int DnsLookups { get; init; }

    /// <summary>Terms whose lookup returned NXDOMAIN or no records (limit 2).</summary>
    public int VoidLookups { get; init; }
}
