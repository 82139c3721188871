using System.ComponentModel.DataAnnotations;

namespace Parley.Core.Data.Cluster;

/// <summary>This node's place in a cluster of nodes sharing one PostgreSQL database ("Cluster" section).</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>
    /// This node's stable id: in the leases it takes and its heartbeat row. The host reads it from configuration, else
    /// from the data directory's node-id file (made on first start). Two running nodes must never share one.
    /// </summary>
    [MaxLength(100)]
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();

    /// <summary>How often the node writes its heartbeat row.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A node whose last heartbeat is younger than this counts as alive (three missed beats by default).</summary>
    public TimeSpan AliveWithin => HeartbeatInterval * 3;
}
