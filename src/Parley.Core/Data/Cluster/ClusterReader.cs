using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Parley.Core.Data.Cluster;

/// <summary>A job's turn that a node holds now.</summary>
public sealed record HeldTurn(string Job, DateTimeOffset TakenAt, DateTimeOffset Until);

/// <summary>One node as the cluster sees it: its last heartbeat, whether that is recent enough to call it alive, what it holds.</summary>
public sealed record ClusterNodeStatus(
    string Id, string HostName, string? HttpEndpoints, string? SmtpEndpoint, string Version, DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt, bool Alive, IReadOnlyList<HeldTurn> Holds);

/// <summary>The nodes that share this database, each with the turns it holds (read for <c>GET /api/v1/cluster</c>).</summary>
public sealed class ClusterReader(ParleyDbContext db, IOptions<ClusterOptions> options, TimeProvider clock)
{
    /// <summary>A node counts as alive when its last heartbeat is younger than this.</summary>
    public TimeSpan AliveWithin => options.Value.AliveWithin;

    public async Task<List<ClusterNodeStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nodes = await db.ClusterNodes.AsNoTracking().OrderBy(n => n.Id).ToListAsync(cancellationToken);
        var held = (await db.ClusterLeases.AsNoTracking().Where(l => l.Until > now).ToListAsync(cancellationToken))
            .ToLookup(l => l.Holder);
        return nodes.Select(n => new ClusterNodeStatus(n.Id, n.HostName, n.HttpEndpoints, n.SmtpEndpoint, n.Version, n.StartedAt, n.LastHeartbeatAt,
                now - n.LastHeartbeatAt < AliveWithin, held[n.Id].OrderBy(l => l.Job).Select(l => new HeldTurn(l.Job, l.TakenAt, l.Until)).ToList()))
            .ToList();
    }
}
