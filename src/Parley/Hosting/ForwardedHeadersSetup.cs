using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Parley.Hosting;

/// <summary>
/// Believes X-Forwarded-For and X-Forwarded-Proto only from the proxies given with --trusted-proxy, so that behind a
/// TLS-terminating proxy the request counts as HTTPS (Secure cookies) and the client's address is the real one.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddParleyForwardedHeaders(this IServiceCollection services, IReadOnlyList<string> trustedProxies)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in trustedProxies)
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else
            {
                throw new StartupConfigurationException($"--trusted-proxy must be an IP address like 10.0.0.5 or a network like 10.0.0.0/8, not '{entry}'.");
            }
        }
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; Parley trusts no one unless told, since a proxy on this machine
            // may relay anyone, and any local process could claim to be any client.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
            // Walk a chain of trusted proxies back to the first address that is not one of them.
            o.ForwardLimit = null;
        });
        return services;
    }
}
