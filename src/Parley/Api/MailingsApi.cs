using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Mailings;
using Parley.Core.Settings;

namespace Parley.Api;

public sealed record MailingBody(long? TemplateId, long[]? ContactIds, string? Tag);

public static class MailingsApi
{
    public static void MapMailingsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/mailings", async (MailingBody body, MailingService mailings, SettingsService settings, HttpRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var result = await mailings.SendAsync(new MailingRequest(body.TemplateId, body.ContactIds, body.Tag), user.ToActingUser(),
                await PublicBaseUrlAsync(settings, request, ct), ct);
            return Results.Accepted("/api/v1/outbox", new { queued = result.Queued, skipped = result.Skipped });
        })
        .WithTags("Mailings")
        .WithSummary("Send one template to many contacts (listed ids, a tag, or everyone), with one-click unsubscribe");
    }

    /// <summary>Links in emails must work from the customer's side: the configured public host name, else the address this request came to.</summary>
    public static async Task<string> PublicBaseUrlAsync(SettingsService settings, HttpRequest request, CancellationToken ct) =>
        (await settings.GetHostSettingsAsync(ct)).Hostname is { } host ? $"https://{host}" : $"{request.Scheme}://{request.Host}";
}
