using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Core.Settings;
using Parley.Deliverability.Dns;
using Parley.Smtp;
using Parley.Mail;
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
        services.AddParleySmtpListener(o =>
        {
            o.Host = host;
            o.Port = port;
            // Postfix's smtpd_client_connection_count_limit: a relay that keeps 20 sessions open reconnects
            // faster than we count its last one closed, so 20 would refuse a well-behaved peer.
            o.MaxConnectionsPerIp = 50;
            // Large messages arriving are spooled beside the database, Parley's alone (0600 in a 0700 folder), not in /tmp.
            o.SpoolDirectory = Path.Combine(Path.GetFullPath(options.DataDir), "spool");
        }, run: options.RunWorkers);
        services.AddParleySmtpDelivery(o => o.DirectDeliveryPort = options.DirectDeliveryPort);
        services.AddSingleton<ServerNameSetup>();
        services.AddSingleton<IConfigureOptions<SmtpListenerOptions>>(sp => sp.GetRequiredService<ServerNameSetup>());
        services.AddSingleton<IConfigureOptions<SmtpDeliveryOptions>>(sp => sp.GetRequiredService<ServerNameSetup>());
        // After the name: the self-signed certificate is made for it.
        services.AddSingleton<IConfigureOptions<SmtpListenerOptions>, SmtpTlsSetup>();
        if (options.Dns is { Length: > 0 } dns)
            services.Configure<DnsOptions>(o => o.Servers = [dns]);
        services.AddSingleton<IRecipientPolicy, AliasDomainRecipientPolicy>();
        services.AddSingleton<IInboundMessageStore, DatabaseInboundStore>();
        services.AddSingleton<Parley.Core.Inbound.IInboundAuthenticator, DeliverabilityInboundAuthenticator>();
        services.AddScoped<RelayConnectionTester>();
        return services;
    }

    /// <summary>Parses "HOST:PORT" (or "[v6]:PORT"); a clear error names the expected form.</summary>
    public static (string Host, int Port) ParseListen(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], out var port) || port is < 0 or > 65535)
            throw new StartupConfigurationException($"--smtp-listen must look like 127.0.0.1:2525, not \"{value}\".");
        return (value[..colon].Trim('[', ']'), port);
    }
}
