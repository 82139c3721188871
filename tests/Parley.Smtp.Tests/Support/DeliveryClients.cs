using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Deliverability.Dns;
using Parley.Smtp.Delivery;
using Parley.Smtp.Delivery.Mx;
using Parley.Smtp.Delivery.Tls;

namespace Parley.Smtp.Tests.Support;

/// <summary>Delivery clients for tests: short timeouts, logs to the test output, optional DNS and clock.</summary>
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
}
