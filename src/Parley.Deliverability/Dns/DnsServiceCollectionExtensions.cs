using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Parley.Deliverability.Dns;

public static class DnsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDnsResolver"/>: DnsClient over the wire, behind a TTL cache unless
    /// <see cref="DnsOptions.EnableCache"/> is off. Uses the registered <see cref="TimeProvider"/> (system clock if none).
    /// </summary>
    public static IServiceCollection AddParleyDns(this IServiceCollection services, Action<DnsOptions>? configure = null)
    {
        var options = services.AddOptions<DnsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DnsMetrics>();
        services.TryAddSingleton<DnsClientResolver>();
        services.TryAddSingleton<IDnsResolver>(sp =>
        {
            var dnsOptions = sp.GetRequiredService<IOptions<DnsOptions>>().Value;
            var wire = sp.GetRequiredService<DnsClientResolver>();
            return dnsOptions.EnableCache
                ? new CachingDnsResolver(wire, sp.GetRequiredService<TimeProvider>(), dnsOptions)
                : wire;
        });
        return services;
    }
}
