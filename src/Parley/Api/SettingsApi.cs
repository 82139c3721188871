using Parley.Core.Settings;

namespace Parley.Api;

public sealed record AliasDomainBody(string? Domain);

public sealed record HostBody(string? Hostname, string? PublicIp);

public static class SettingsApi
{
    public static void MapSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings");

        settings.MapPut("/alias-domain", async (AliasDomainBody body, SettingsService service, CancellationToken cancellationToken) =>
            new AliasDomainBody(await service.SetAliasDomainAsync(body.Domain, cancellationToken)))
            .WithSummary("Set the domain that replies and bounces come back to");

        settings.MapGet("/alias-domain", async (SettingsService service, CancellationToken cancellationToken) =>
            new AliasDomainBody(await service.GetAliasDomainAsync(cancellationToken)));

        settings.MapPut("/host", async (HostBody body, SettingsService service, CancellationToken cancellationToken) =>
        {
            var host = await service.SetHostSettingsAsync(body.Hostname, body.PublicIp, cancellationToken);
            return new HostBody(host.Hostname, host.PublicIp);
        }).WithSummary("This server's public host name (EHLO, MX target) and IP (for the SPF record Parley suggests)");

        settings.MapGet("/host", async (SettingsService service, CancellationToken cancellationToken) =>
        {
            var host = await service.GetHostSettingsAsync(cancellationToken);
            return new HostBody(host.Hostname, host.PublicIp);
        });
    }
}
