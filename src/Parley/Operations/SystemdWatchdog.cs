using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Operations;

/// <summary>
/// Under systemd with <c>Type=notify</c> and <c>WatchdogSec=</c> (deploy/parley.service): says READY=1 once the host has
/// started (migrated, listener bound), then WATCHDOG=1 every half watchdog interval while the SMTP listener and the
/// workers are healthy — the checks of <c>/readyz</c> — so systemd restarts a Parley whose worker is stalled. The
/// database check is left out: a database outage is not fixed by restarting Parley, and would only restart it in a loop.
/// Systemd's variables arrive through configuration (environment variables), so nothing happens outside systemd.
/// </summary>
public sealed partial class SystemdWatchdog(
    IConfiguration configuration, HealthCheckService health, IHostApplicationLifetime lifetime, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration["NOTIFY_SOCKET"] is not { Length: > 0 } path)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        // "@name" is an abstract socket, "\0name" on the wire.
        var endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        try
        {
            await WhenStartedAsync(stoppingToken);
            await NotifyAsync(socket, endPoint, "READY=1", stoppingToken);
            if (!long.TryParse(configuration["WATCHDOG_USEC"], out var usec) || usec <= 0)
            {
                return;
            }

            using var timer = new PeriodicTimer(TimeSpan.FromMicroseconds(usec / 2.0));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var report = await health.CheckHealthAsync(c => c.Name is "smtp-listener" or "workers", stoppingToken);
                if (report.Status == HealthStatus.Healthy)
                {
                    await NotifyAsync(socket, endPoint, "WATCHDOG=1", stoppingToken);
                }
                else
                {
                    LogNotAlive(string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}")));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(cancellationToken);
    }

    private async Task NotifyAsync(Socket socket, UnixDomainSocketEndPoint endPoint, string state, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendToAsync(Encoding.ASCII.GetBytes(state), SocketFlags.None, endPoint, cancellationToken);
        }
        catch (SocketException e)
        {
            LogNotifyFailed(state, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not telling systemd's watchdog that Parley is alive: {Problems}")]
    private partial void LogNotAlive(string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell systemd {State}: {Reason}")]
    private partial void LogNotifyFailed(string state, string reason);
}
