using Parley.Core.Data.Cluster;

namespace Parley.Api;

public sealed record ClusterBody(string Node, int AliveWithinSeconds, List<ClusterNodeStatus> Nodes);

/// <summary>The nodes sharing this database: last heartbeat, alive or not, and the turns of periodic jobs each holds.</summary>
public static class ClusterApi
{
    public static void MapClusterApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", async (ClusterReader reader, PeriodicTurn turn, CancellationToken cancellationToken) =>
                new ClusterBody(turn.NodeId, (int)reader.AliveWithin.TotalSeconds, await reader.ListAsync(cancellationToken)))
            .WithTags("Cluster")
            .WithSummary("The nodes of this cluster: which answered (node), each one's last heartbeat, whether it is alive, and what it holds");
    }
}
