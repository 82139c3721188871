using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Deliverability.Checks;
using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery;
using Parley.Smtp.Delivery.Mx;
using Parley.Smtp.Delivery.Tls;
using Parley.Smtp.Listener;

namespace Parley.Smtp;

public static class ParleySmtpServiceCollectionExtensions
{
    /// <summary>
    /// Adds the inbound listener (run by the host as a hosted service) and outbound delivery.
    /// The host must register <see cref="IRecipientPolicy"/> and <see cref="IInboundMessageStore"/>.
    /// </summary>
    public static IServiceCollection AddParleySmtp(
        this IServiceCollection services,
        Action<SmtpListenerOptions>? configureListener = null,
        Action<SmtpDeliveryOptions>? configureDelivery = null) =>
        services.AddParleySmtpListener(configureListener).AddParleySmtpDelivery(configureDelivery);

    /// <summary>Adds <see cref="SmtpListener"/> with validated options and, when <paramref name="run"/>, <see cref="SmtpListenerHostedService"/>.</summary>
    public static IServiceCollection AddParleySmtpListener(this IServiceCollection services, Action<SmtpListenerOptions>? configure = null, bool run = true)
    {
        var options = services.AddOptions<SmtpListenerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpListenerOptions>, SmtpListenerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ListenerMetrics>();
        services.TryAddSingleton<SmtpListener>();
        if (run)
        {
            services.AddHostedService<SmtpListenerHostedService>();
        }

        return services;
    }

    /// <summary>
    /// Adds <see cref="ISmtpDeliveryClient"/> (one pooled <see cref="SmtpDeliveryClient"/> per process: the pool lives
    /// in it) and <see cref="IMxRouteResolver"/> for direct delivery, with the DNS resolver unless one is registered.
    /// </summary>
    public static IServiceCollection AddParleySmtpDelivery(this IServiceCollection services, Action<SmtpDeliveryOptions>? configure = null)
    {
        var options = services.AddOptions<SmtpDeliveryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddParleyDns();
        services.TryAddSingleton<IMxRouteResolver>(sp => new MxRouteResolver(sp.GetRequiredService<IDnsResolver>()));
        // MTA-STS (RFC 8461 §3.3): the policy over HTTPS with a valid certificate, no redirects, small and quick.
        services.TryAddSingleton<IMtaStsPolicyFetcher>(_ => HttpMtaStsPolicyFetcher.Create());
        services.TryAddSingleton(sp => new MtaStsPolicyCache(
            sp.GetRequiredService<IDnsResolver>(), sp.GetRequiredService<IMtaStsPolicyFetcher>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new MxTlsPolicy(sp.GetRequiredService<MtaStsPolicyCache>()));
        services.TryAddSingleton<SmtpDeliveryClient>();
        services.TryAddSingleton<ISmtpDeliveryClient>(sp => sp.GetRequiredService<SmtpDeliveryClient>());
        return services;
    }
}
