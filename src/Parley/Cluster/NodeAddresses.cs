using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Parley.Core.Data.Cluster;
using Parley.Smtp.Listener;

namespace Parley.Cluster;

/// <summary>The addresses this node actually listens on (known once the web host and the listener have started).</summary>
internal sealed class NodeAddresses(IServiceProvider services) : INodeAddresses
{
    public string? HttpEndpoints =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses ? string.Join(' ', addresses) : null;

    public string? SmtpEndpoint => services.GetService<SmtpListener>()?.EndPoint?.ToString();
}
