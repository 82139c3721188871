using System.Net;
using Parley.Cluster;
using Parley.Testing;

namespace Parley.Tests.Cluster;

/// <summary>GET /api/v1/cluster on a real host: this node, with its stable id, addresses and heartbeat; admins only.</summary>
public sealed class ClusterApiTests
{
    [Fact]
    public async Task The_cluster_lists_this_node_alive_with_its_id_and_addresses_and_refuses_a_caller_without_a_token()
    {
        await using var parley = await ParleyHost.ServeAsync();
        using (var anonymous = parley.Client())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cluster")).StatusCode);
        }

        var cluster = await Eventually.UntilAsync(() => parley.GetAsync("/api/v1/cluster"), c => c.GetProperty("nodes").GetArrayLength() == 1,
            TimeSpan.FromSeconds(30), "the node wrote its first heartbeat");
        var node = cluster.GetProperty("nodes")[0];
        // The id is the one kept in the data directory, so a restart is the same node.
        var kept = (await File.ReadAllTextAsync(Path.Combine(parley.DataDir, NodeId.FileName))).Trim();
        Assert.Equal(kept, node.GetProperty("id").GetString());
        Assert.Equal(kept, cluster.GetProperty("node").GetString());
        Assert.True(node.GetProperty("alive").GetBoolean());
        Assert.Equal(30, cluster.GetProperty("aliveWithinSeconds").GetInt32());
        Assert.Equal($"127.0.0.1:{parley.SmtpPort}", node.GetProperty("smtpEndpoint").GetString());
        Assert.Contains(parley.BaseUrl.GetLeftPart(UriPartial.Authority), node.GetProperty("httpEndpoints").GetString());
        Assert.Equal(Environment.MachineName, node.GetProperty("hostName").GetString());
        // The mailing scheduler and the spam-test scorer run on this node, the only one.
        Assert.Contains(node.GetProperty("holds").EnumerateArray(), h => h.GetProperty("job").GetString() == "mailing-scheduler");
    }
}
