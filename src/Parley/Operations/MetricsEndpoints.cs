using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Parley.Auth;
using Parley.Core.Doctor;
using Parley.Core.Fetch;
using Parley.Core.Inbound;
using Parley.Core.Outbox;
using Parley.Deliverability;
using Parley.Hosting;

namespace Parley.Operations;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format, by OpenTelemetry's exporter over the "Parley" meter (instruments live
/// with the code they count: Core, Smtp, Deliverability). On the web address it needs an admin: a token (metrics, read
/// or full scope) or a login; a request without one gets 401 and one line. <c>--metrics-listen</c> adds an address that
/// serves only /metrics, without a login — so it must be loopback or a private network, never a public or wildcard one.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    private static readonly PlainTextRefusal Refusal = new(
        "Reading /metrics needs an administrator: send 'Authorization: Bearer <token>' with an admin's token (parley token create --scope metrics), or sign in as an admin.",
        "Reading /metrics needs an administrator's token or login.");

    public static IServiceCollection AddParleyMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("parley", serviceVersion: typeof(MetricsEndpoints).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m => m.AddMeter(ParleyMeter.Name).AddPrometheusExporter());
        return services;
    }

    /// <summary>The URL Kestrel binds for <c>--metrics-listen</c>, or none.</summary>
    public static IEnumerable<string> ExtraUrls(ServeOptions options) =>
        MetricsAddress(options) is { } address ? [$"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{MetricsPort(options)}"] : [];

    public static void MapParleyMetrics(this WebApplication app, ServeOptions options)
    {
        // Instruments exist from the start, so a scrape before the first delivery shows the outbox gauge and zeros.
        _ = app.Services.GetRequiredService<OutboundMetrics>();
        _ = app.Services.GetRequiredService<InboundMetrics>();
        _ = app.Services.GetRequiredService<FetchMetrics>();
        _ = app.Services.GetRequiredService<DoctorMetrics>();
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(ParleyPolicies.Metrics).WithMetadata(Refusal);
    }

    /// <summary>
    /// First in the pipeline: a request that arrived on the metrics address gets /metrics or a 404, never the web UI
    /// (the local port decides, not the Host header a client can set).
    /// </summary>
    public static void UseParleyMetricsListener(this WebApplication app, ServeOptions options)
    {
        if (MetricsAddress(options) is null)
        {
            return;
        }

        var port = MetricsPort(options);
        app.UseWhen(c => c.Connection.LocalPort == port, branch =>
        {
            branch.UseOpenTelemetryPrometheusScrapingEndpoint(c => c.Request.Path == Path);
            branch.Run(c =>
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return c.Response.WriteAsync($"Only {Path} is served on this address.\n");
            });
        });
    }

    private static IPAddress? MetricsAddress(ServeOptions options)
    {
        if (options.MetricsListen is not { Length: > 0 } listen)
        {
            return null;
        }

        var (host, _) = SmtpIntegration.ParseListen(listen, "--metrics-listen", "127.0.0.1:9464");
        if (!IPAddress.TryParse(host, out var address))
        {
            throw new StartupConfigurationException($"--metrics-listen needs an IP address, such as 127.0.0.1:9464, not \"{listen}\".");
        }

        if (!IsPrivate(address))
        {
            throw new StartupConfigurationException(
                $"--metrics-listen serves /metrics without a login, so it must be a loopback or private address (127.0.0.1:9464, 10.0.0.5:9464), not {host}. On a public address, read /metrics on --urls with a metrics token instead.");
        }

        return address;
    }

    private static int MetricsPort(ServeOptions options) => SmtpIntegration.ParseListen(options.MetricsListen!, "--metrics-listen", "127.0.0.1:9464").Port;

    /// <summary>Loopback, RFC 1918, IPv6 unique-local or link-local; never a wildcard.</summary>
    private static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6UniqueLocal || address.IsIPv6LinkLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168);
    }
}
