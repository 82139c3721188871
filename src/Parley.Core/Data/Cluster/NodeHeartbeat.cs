using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Core.Data.Cluster;

/// <summary>Where this node can be reached; the host knows (its bound HTTP addresses and SMTP listener).</summary>
public interface INodeAddresses
{
    string? HttpEndpoints { get; }

    string? SmtpEndpoint { get; }
}

/// <summary>No addresses known (a process without a web host or listener).</summary>
internal sealed class NoNodeAddresses : INodeAddresses
{
    public string? HttpEndpoints => null;

    public string? SmtpEndpoint => null;
}

/// <summary>
/// Writes this node's <see cref="ClusterNode"/> row every <see cref="ClusterOptions.HeartbeatInterval"/>: its id, host
/// name, addresses, version, start and last beat. A failed beat is logged and tried again at the next one.
/// </summary>
public sealed partial class NodeHeartbeat(
    IServiceScopeFactory scopes,
    IOptions<ClusterOptions> options,
    INodeAddresses addresses,
    TimeProvider clock,
    ILogger<NodeHeartbeat> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    public static string Version { get; } = typeof(NodeHeartbeat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private readonly DateTimeOffset _started = clock.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Workers start before the web server binds: the first beat waits for the host, so it carries the addresses.
        if (lifetime is not null && !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogBeatFailed(e, options.Value.NodeId);
            }

            try
            {
                await Task.Delay(options.Value.HeartbeatInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One beat: the row made on the node's first start, brought up to date on every other.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var id = options.Value.NodeId;
        var row = await db.ClusterNodes.FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (row is null)
        {
            row = new ClusterNode { Id = id, HostName = "", Version = Version };
            db.ClusterNodes.Add(row);
        }

        row.HostName = Environment.MachineName;
        row.HttpEndpoints = addresses.HttpEndpoints;
        row.SmtpEndpoint = addresses.SmtpEndpoint;
        row.Version = Version;
        row.StartedAt = _started;
        row.LastHeartbeatAt = clock.GetUtcNow();
        await using (await scope.ServiceProvider.GetRequiredService<DatabaseWriteGate>().EnterAsync(db, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} could not write its heartbeat; it will try again (two running nodes must not share one id)")]
    private partial void LogBeatFailed(Exception e, string nodeId);
}
