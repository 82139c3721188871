using Microsoft.Extensions.Hosting;

namespace Parley.Smtp.Listener;

/// <summary>Runs the <see cref="SmtpListener"/> with the host: binds at start (so a busy port fails startup), drains at stop.</summary>
public sealed class SmtpListenerHostedService(SmtpListener listener) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => listener.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => listener.StopAsync(cancellationToken);
}
