using System.Diagnostics.Metrics;

namespace Parley.Deliverability;

/// <summary>
/// The one meter every Parley project records on (System.Diagnostics.Metrics only: no exporter here). The host exports
/// it at /metrics; instrument names are Prometheus names already (parley_…), so what an operator greps for is what the
/// code says.
/// </summary>
public static class ParleyMeter
{
    public const string Name = "Parley";

    /// <summary>From the host's factory (one meter per host, disposed with it), or a meter of its own without one.</summary>
    public static Meter Create(IMeterFactory? factory) => factory?.Create(Name) ?? new Meter(Name);

    /// <summary>One tag of a measurement (a Prometheus label).</summary>
    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    /// <summary>An enum value as a tag: its name in lower case ("sent", "nxdomain"), as an operator types it in a query.</summary>
    public static KeyValuePair<string, object?> Tag(string name, Enum value) => new(name, value.ToString().ToLowerInvariant());
}
