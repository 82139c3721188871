using Parley.Core.Settings;

namespace Parley.Api;

public sealed record AliasDomainBody(string? Domain);

public static class SettingsApi
{
    public static void MapSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings");

        settings.MapPut("/alias-domain", async (AliasDomainBody body, SettingsService service, CancellationToken ct) =>
            new AliasDomainBody(await service.SetAliasDomainAsync(body.Domain, ct)))
            .WithSummary("Set the domain that replies and bounces come back to");

        settings.MapGet("/alias-domain", async (SettingsService service, CancellationToken ct) =>
            new AliasDomainBody(await service.GetAliasDomainAsync(ct)));
    }
}
