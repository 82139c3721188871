using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Hosting;

namespace Parley.Operations;

/// <summary>
/// <c>/healthz</c>: the process answers (liveness). <c>/readyz</c>: it can do its work — the database answers, the
/// SMTP listener accepts, the workers run and are not stalled — 200 when all are healthy, else 503. Both are public
/// (load balancers and systemd ask without a login), so they say a status and a short fixed phrase per check, never
/// an exception's text, an address or a count of anything.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddParleyHealth(this IServiceCollection services, ServeOptions options, IConfiguration configuration)
    {
        services.Configure<HealthOptions>(configuration.GetSection("Health"));
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
        // A verb that runs no listener or workers (token, migrate) has nothing of theirs to report.
        if (options.RunWorkers)
        {
            checks.AddCheck<SmtpListenerHealthCheck>("smtp-listener", tags: [Ready])
                .AddCheck<WorkerHealthCheck>("workers", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
            services.AddHostedService<SystemdWatchdog>();
        }
        return services;
    }

    public static void MapParleyHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    /// <summary>{"status":"healthy","checks":{"database":{"status":"healthy","detail":"reachable"},…}}</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = Name(report.Status),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = Name(e.Value.Status), detail = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
