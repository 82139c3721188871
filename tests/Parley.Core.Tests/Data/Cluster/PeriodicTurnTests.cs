using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Data.Cluster;
using Parley.Core.Tests.Fixtures;
using Parley.Testing;

namespace Parley.Core.Tests.Data.Cluster;

/// <summary>
/// Two nodes (two service providers on one database, each with its own node id) ask for the same job's turn at the
/// same moment: exactly one gets each turn, the next turn comes only after the interval, and a holder that stops
/// renewing is taken over once its lease runs out.
/// </summary>
public abstract class PeriodicTurnTests(IDatabaseFactory factory) : DatabaseTest(factory)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private (ServiceProvider A, ServiceProvider B) TwoNodes() => (Node("node-a"), Node("node-b"));

    private ServiceProvider Node(string id) =>
        Env.Build(Env.Transport, id, [], configure: s => s.Configure<ClusterOptions>(o => o.NodeId = id));

    private static async Task<Turn> AskAsync(ServiceProvider node, Func<PeriodicTurn, Task<Turn>> ask)
    {
        await using var scope = node.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<PeriodicTurn>());
    }

    private static Task<Turn[]> RaceAsync(ServiceProvider a, ServiceProvider b, Func<PeriodicTurn, Task<Turn>> ask) =>
        Task.WhenAll(Task.Run(() => AskAsync(a, ask)), Task.Run(() => AskAsync(b, ask)));

    [Fact]
    public async Task Of_two_contenders_exactly_one_takes_each_turn_and_the_next_turn_comes_one_interval_later()
    {
        var (a, b) = TwoNodes();
        var winners = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var turns = await RaceAsync(a, b, t => t.TakeTurnAsync("doctor", Interval, default));
            var taken = Assert.Single(turns, t => t.Taken);
            winners.Add(taken.Holder);
            // The loser is told whose turn it is and until when.
            var lost = Assert.Single(turns, t => !t.Taken);
            Assert.Equal(taken.Holder, lost.Holder);
            Assert.Equal(Env.Clock.GetUtcNow() + Interval, lost.Until);

            // Halfway through the turn nobody gets it, not even the holder.
            Env.Clock.Advance(Interval / 2);
            Assert.All(await RaceAsync(a, b, t => t.TakeTurnAsync("doctor", Interval, default)), t => Assert.False(t.Taken));
            Env.Clock.Advance(Interval / 2);
        }

        Assert.Equal(5, winners.Count);
        Assert.All(winners, w => Assert.Contains(w, new[] { "node-a", "node-b" }));
    }

    [Fact]
    public async Task Another_job_has_a_turn_of_its_own()
    {
        var (a, b) = TwoNodes();
        Assert.True((await AskAsync(a, t => t.TakeTurnAsync("doctor", Interval, default))).Taken);
        Assert.True((await AskAsync(b, t => t.TakeTurnAsync("mailing-scheduler", Interval, default))).Taken);
    }

    [Fact]
    public async Task A_holder_renews_its_lease_and_an_expired_holder_is_taken_over()
    {
        var (a, b) = TwoNodes();
        var lease = TimeSpan.FromMinutes(2);
        Assert.True((await AskAsync(a, t => t.HoldAsync("spam-test-scoring", lease, default))).Taken);

        // While A renews, B never gets it.
        for (var i = 0; i < 3; i++)
        {
            Env.Clock.Advance(TimeSpan.FromSeconds(90));
            var turns = await RaceAsync(a, b, t => t.HoldAsync("spam-test-scoring", lease, default));
            Assert.True(turns[0].Taken, "the holder renews");
            Assert.False(turns[1].Taken, "the other node waits");
        }

        // A dies (stops renewing): once its lease has run out, B takes over, and A is then the one that waits.
        Env.Clock.Advance(lease - TimeSpan.FromSeconds(1));
        Assert.False((await AskAsync(b, t => t.HoldAsync("spam-test-scoring", lease, default))).Taken);
        Env.Clock.Advance(TimeSpan.FromSeconds(1));
        var takeover = await AskAsync(b, t => t.HoldAsync("spam-test-scoring", lease, default));
        Assert.True(takeover.Taken);
        Assert.Equal("node-b", takeover.Holder);
        var back = await AskAsync(a, t => t.HoldAsync("spam-test-scoring", lease, default));
        Assert.False(back.Taken);
        Assert.Equal("node-b", back.Holder);
    }

    [Fact]
    public async Task A_released_lease_is_taken_at_once_by_another_node()
    {
        var (a, b) = TwoNodes();
        Assert.True((await AskAsync(a, t => t.HoldAsync("mailing-scheduler", TimeSpan.FromMinutes(1), default))).Taken);
        Assert.False((await AskAsync(b, t => t.HoldAsync("mailing-scheduler", TimeSpan.FromMinutes(1), default))).Taken);

        await using (var scope = a.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PeriodicTurn>().ReleaseAsync("mailing-scheduler", default);
        }

        Assert.True((await AskAsync(b, t => t.HoldAsync("mailing-scheduler", TimeSpan.FromMinutes(1), default))).Taken);
    }

    [Fact]
    public async Task The_cluster_lists_each_node_with_its_heartbeat_whether_it_is_alive_and_what_it_holds()
    {
        var (a, b) = TwoNodes();
        await BeatAsync(a);
        await BeatAsync(b);
        Assert.True((await AskAsync(a, t => t.TakeTurnAsync("doctor", Interval, default))).Taken);

        var nodes = await ListAsync(b);
        Assert.Equal(["node-a", "node-b"], nodes.Select(n => n.Id));
        Assert.All(nodes, n => Assert.True(n.Alive));
        Assert.Equal("doctor", Assert.Single(nodes[0].Holds).Job);
        Assert.Empty(nodes[1].Holds);

        // B stops beating: past three heartbeat intervals it is listed as not alive; A, still beating, is.
        Env.Clock.Advance(new ClusterOptions().AliveWithin + TimeSpan.FromSeconds(1));
        await BeatAsync(a);
        nodes = await ListAsync(a);
        Assert.True(nodes[0].Alive);
        Assert.False(nodes[1].Alive);
        Assert.Equal(Env.Clock.GetUtcNow(), nodes[0].LastHeartbeatAt);
    }

    private static async Task BeatAsync(ServiceProvider node) =>
        await ActivatorUtilities.CreateInstance<NodeHeartbeat>(node, new NoAddresses()).BeatAsync(default);

    private static async Task<List<ClusterNodeStatus>> ListAsync(ServiceProvider node)
    {
        await using var scope = node.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClusterReader>().ListAsync(default);
    }

    private sealed class NoAddresses : INodeAddresses
    {
        public string? HttpEndpoints => "http://127.0.0.1:1";

        public string? SmtpEndpoint => "127.0.0.1:2";
    }
}

public sealed class PeriodicTurnSqliteTests() : PeriodicTurnTests(SqliteDatabaseFactory.Instance);

[Collection(PostgresCollection.Name)]
public sealed class PeriodicTurnPostgresTests(PostgresFixture pg) : PeriodicTurnTests(new PostgresDatabaseFactory(pg));
