using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Core.Inbound;
using Parley.Core.Settings;
using Parley.Deliverability.Dns;
using Parley.Mail;
using Parley.Smtp;
using Parley.Smtp.Delivery;
using Parley.Smtp.Listener;

namespace Parley.Hosting;

/// <summary>Wires Parley.Smtp (listener and relay delivery) to Core's inbound store and outbox.</summary>
public static class SmtpIntegration
{
    public static IServiceCollection AddParleySmtpIntegration(this IServiceCollection services, ServeOptions options)
    {
        var (host, port) = ParseListen(options.SmtpListen);
        // One host name for the greeting, the certificate, the EHLO and the doctor: Settings → Host name, else
        // --smtp-name, else this machine's name.
        var chosen = options.SmtpName is { Length: > 0 };
        services.Replace(ServiceDescriptor.Singleton(new ServerName(chosen ? options.SmtpName! : System.Net.Dns.GetHostName(), chosen)));
        // Parley's defaults for the listener, registered before the configuration is bound (ParleyOptions), which may change them.
        services.AddParleySmtpListener(o =>
        {
            // Postfix's smtpd_client_connection_count_limit: a relay that keeps 20 sessions open reconnects
            // faster than we count its last one closed, so 20 would refuse a well-behaved peer.
            o.MaxConnectionsPerIp = 50;
            // Large messages arriving are spooled beside the database, Parley's alone (0600 in a 0700 folder), not in /tmp.
            o.SpoolDirectory = Path.Combine(Path.GetFullPath(options.DataDir), "spool");
        }, run: options.RunWorkers);
        services.AddParleySmtpDelivery();

        // serve's flags, after the configuration: they win.
        services.PostConfigure<SmtpListenerOptions>(o =>
        {
            o.Host = host;
            o.Port = port;
        });
        // One size limit for every way in: the listener takes Inbound:MaxMessageSize, which mailgate reads too.
        services.AddOptions<SmtpListenerOptions>().PostConfigure<IOptions<InboundOptions>>((o, inbound) => o.MaxMessageSize = inbound.Value.MaxMessageSize);
        services.PostConfigure<SmtpDeliveryOptions>(o => o.DirectDeliveryPort = options.DirectDeliveryPort);
        // The one host name, after the configuration too (it owns the listener's name and the client's EHLO).
        services.AddSingleton<ServerNameSetup>();
        services.AddSingleton<IPostConfigureOptions<SmtpListenerOptions>>(sp => sp.GetRequiredService<ServerNameSetup>());
        services.AddSingleton<IPostConfigureOptions<SmtpDeliveryOptions>>(sp => sp.GetRequiredService<ServerNameSetup>());
        if (options.Dns is { Length: > 0 } dns)
        {
            services.PostConfigure<DnsOptions>(o => o.Servers = [dns]);
        }
        // Last: the self-signed certificate is made for the final ServerName.
        services.AddSingleton(sp => SelfSignedCertificateStore.For(options, sp));
        services.AddSingleton<IPostConfigureOptions<SmtpListenerOptions>, SmtpTlsSetup>();
        services.AddSingleton<IRecipientPolicy, AliasDomainRecipientPolicy>();
        services.AddSingleton<IInboundMessageStore, DatabaseInboundStore>();
        services.AddSingleton<IInboundAuthenticator, DeliverabilityInboundAuthenticator>();
        services.AddScoped<RelayConnectionTester>();
        return services;
    }

    /// <summary>Parses "HOST:PORT" (or "[v6]:PORT"); a clear error names the option and the expected form.</summary>
    public static (string Host, int Port) ParseListen(string value, string option = "--smtp-listen", string example = "127.0.0.1:2525")
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            throw new StartupConfigurationException($"{option} must look like {example}, not \"{value}\".");
        }

        return (value[..colon].Trim('[', ']'), port);
    }
}
