namespace Parley.Core.Data.Cluster;

/// <summary>
/// Who does one periodic job across the cluster (table ClusterLeases, one row per job): the node that took the
/// current turn, when, and until when it is that node's. Written only by <see cref="PeriodicTurn"/>.
/// </summary>
public sealed class ClusterLease
{
    /// <summary>The job's name, e.g. "doctor" (<see cref="PeriodicTurn"/>'s constants).</summary>
    public required string Job { get; set; }

    /// <summary>The node id (<see cref="ClusterOptions.NodeId"/>) that took the turn.</summary>
    public required string Holder { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    /// <summary>No other node takes the job before this (unless the job's length has since been shortened).</summary>
    public DateTimeOffset Until { get; set; }
}
