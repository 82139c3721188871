namespace Parley.Core.Data.Cluster;

/// <summary>
/// One Parley node as it last described itself (table ClusterNodes): written by its <see cref="NodeHeartbeat"/>,
/// read by <c>GET /api/v1/cluster</c>. A node that stops beating stays listed, not alive, until it comes back.
/// </summary>
public sealed class ClusterNode
{
    /// <summary>The stable id (<see cref="ClusterOptions.NodeId"/>), the same across restarts.</summary>
    public required string Id { get; set; }

    public required string HostName { get; set; }

    /// <summary>Where its web UI and API listen, e.g. "http://10.0.0.5:8080" (several separated by spaces).</summary>
    public string? HttpEndpoints { get; set; }

    /// <summary>Where its SMTP listener listens, e.g. "10.0.0.5:25"; null when it runs none.</summary>
    public string? SmtpEndpoint { get; set; }

    public required string Version { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastHeartbeatAt { get; set; }
}
