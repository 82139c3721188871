using Parley.Deliverability.Doctor;

namespace Parley.Deliverability.Spf.Analysis;

/// <summary>What the doctor knows about a domain's SPF: the record as published, counts, and findings.</summary>
public sealed record SpfAnalysis
{
    public required string Domain { get; init; }

    /// <summary>The SPF records found (normally one), each as its joined text.</summary>
    public IReadOnlyList<string> Records { get; init; } = [];

    /// <summary>The character-strings of the (first) record as published, to show 255-octet splits.</summary>
    public IReadOnlyList<string> RecordStrings { get; init; } = [];

    /// <summary>Lookup-causing terms over the whole include/redirect tree (limit 10), counted statically.</summary>
    public int DnsLookups { get; init; }

    /// <summary>Terms in the tree whose target does not exist or has no records (limit 2).</summary>
    public int VoidLookups { get; init; }

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>For each route asked about: whether the published record authorizes it.</summary>
    public IReadOnlyList<SpfRouteCheck> Routes { get; init; } = [];

    /// <summary>The single record to publish when something must change (routes missing, several records), else null.</summary>
    public string? ProposedRecord { get; init; }
}

/// <summary>Whether a domain's SPF authorizes one route, and the record that would.</summary>
public sealed record SpfRouteCheck(SpfRoute Route, bool Authorized, string? ProposedRecord, string Reason);
