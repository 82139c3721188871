using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery;
using Parley.Smtp.Delivery.Mx;
using Parley.Smtp.Delivery.Tls;
using Parley.Testing;

namespace Parley.Smtp.Tests.Support;

/// <summary>Delivery clients for tests (short timeouts, logs to the test output, optional DNS and clock) and the relays they send to.</summary>
public static class DeliveryClients
{
    public static SmtpDeliveryClient Create(
        ITestOutputHelper output,
        Action<SmtpDeliveryOptions>? configure = null,
        IDnsResolver? dns = null,
        TimeProvider? time = null,
        LogLevel logLevel = LogLevel.Debug,
        MxTlsPolicy? tls = null)
    {
        var options = new SmtpDeliveryOptions { HeloName = "out.parley.test", Timeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        var logs = new TestOutputLoggerFactory(output, logLevel);
        return new SmtpDeliveryClient(
            Options.Create(options), new TestLogger<SmtpDeliveryClient>(logs), dns is null ? null : new MxRouteResolver(dns), time, tls);
    }

    /// <summary>A resolver that asks only <paramref name="dns"/>, failing fast (2 s, one retry).</summary>
    public static DnsClientResolver Resolver(DnsmasqPeer dns) =>
        new(new DnsOptions { Servers = [dns.Server], Timeout = TimeSpan.FromSeconds(2), Retries = 1 });

    /// <summary>A relay on 127.0.0.1:<paramref name="port"/> in plain text without a login (Parley's own listener, a closed port).</summary>
    public static RelayEndpoint Relay(int port) => new("127.0.0.1", port, SmtpSecurity.None, null, null);

    /// <summary>smtp-sink as a plain-text relay without a login.</summary>
    public static RelayEndpoint Relay(SmtpSinkPeer sink) => Relay(sink.Port);
}
